"""Checks of a rule written twice over, once for what it keeps and once for what it leaves."""


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
