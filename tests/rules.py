"""Checks of a rule written in more than one form: what it keeps and what it leaves, as queries;
what it says of a row in hand."""


def assert_split_exactly(model, kept, left_out):
    """`kept` (a Q) and the parts of `left_out` (Qs) share no row of `model` and miss none.
    Returns the ids that `kept` keeps."""
    ids = model.objects.values_list("pk", flat=True)
    seen = set(ids.filter(kept))
    parts = [set(ids.filter(part)) for part in left_out]
    unseen = set.union(*parts)
    assert sum(map(len, parts)) == len(unseen)  # no row in two parts
    assert seen.isdisjoint(unseen)
    assert seen | unseen == set(ids)
    return seen


def assert_rows_agree(model):
    """Each row of `model` in hand says what its querysets say of it at the present moment
    (freeze the clock): `is_public` exactly for the rows of `published()`, a `goes_out_at` exactly
    for those and the rows of `upcoming()`."""
    public = set(model.objects.published().values_list("pk", flat=True))
    later = set(model.objects.upcoming().values_list("pk", flat=True))
    assert public.isdisjoint(later)
    for row in model.objects.all():
        assert row.is_public == (row.pk in public), (row.status, row.published_at)
        assert (row.goes_out_at is not None) == (row.pk in public | later), (
            row.status,
            row.published_at,
        )
