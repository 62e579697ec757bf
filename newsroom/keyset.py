"""Pages of a list ordered newest first, by where the last page stopped, never by OFFSET.

A page after the first names the (published_at, id) of the last row before it, so every page
is read from an index in one step, however deep, and no list counts its rows.
"""

from datetime import UTC, datetime

from django.db.models import Q
from django.db.models.expressions import RawSQL


class BadCursor(ValueError):
    """Text that is not a cursor as `cursor_for()` writes it."""


def cursor_for(row):
    """Where a page stops: "<microseconds since 1970>-<id>" of its last row."""
    moment = row.published_at
    micros = int(moment.timestamp()) * 1_000_000 + moment.microsecond
    return f"{micros}-{row.pk}"


def parse(text):
    """(published_at, id) of a cursor; BadCursor for anything else."""
    micros, sep, pk = text.partition("-")
    if not (sep and micros.isdigit() and pk.isdigit() and len(micros) <= 18 and len(pk) <= 18):
        raise BadCursor(text)
    try:
        return datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC), int(pk)
    except (OverflowError, ValueError, OSError) as error:
        raise BadCursor(text) from error


def older_than(moment, pk):
    # The bound on published_at alone lets the index seek to the page; the OR only sorts out
    # rows of the same time.
    return Q(published_at__lte=moment) & (Q(published_at__lt=moment) | Q(pk__lt=pk))


def newer_than(moment, pk):
    return Q(published_at__gte=moment) & (Q(published_at__gt=moment) | Q(pk__gt=pk))


def ids_of_any(querysets):
    """A subquery for `pk__in`: the ids each of `querysets` (ordered and sliced, each read
    from its own index) selects. One UNION ALL, each part wrapped, as SQLite takes no LIMIT
    in a part of a UNION; not an OR of IN subqueries, which PostgreSQL answers by reading
    the whole table."""
    parts, params = [], []
    for number, queryset in enumerate(querysets):
        sql, part_params = queryset.values("pk").query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) AS part_{number}")
        params.extend(part_params)
    return RawSQL(" UNION ALL ".join(parts), params)


def page(queryset, size, before=None, after=None):
    """(rows, older cursor or None, newer cursor or None) of the page of `queryset` that ends
    just before the cursor `before`, or starts just after `after`, or else the first."""
    if after is not None:
        rows = list(queryset.filter(newer_than(*after)).order_by("published_at", "pk")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        older = cursor_for(rows[-1]) if rows else None
        newer = cursor_for(rows[0]) if rows and more_newer else None
        return rows, older, newer
    if before is not None:
        queryset = queryset.filter(older_than(*before))
    rows = list(queryset.order_by("-published_at", "-pk")[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    older = cursor_for(rows[-1]) if more_older else None
    newer = cursor_for(rows[0]) if rows and before is not None else None
    return rows, older, newer
