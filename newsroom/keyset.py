"""Pages of a list ordered newest first, by where the last page stopped, never by OFFSET.

A page after the first names the (published_at, id) of the last row before it, so every page
is read from an index in one step, however deep, and no list counts its rows. A list ordered
by other columns of a time and an id (a tag's listings) names them in `columns`.
"""

from datetime import UTC, datetime

from django.db.models import Q
from django.db.models.expressions import RawSQL

from newsroom.characters import is_digits

ROWS = ("published_at", "pk")  # the columns of the order: a time, then an id


class BadCursor(ValueError):
    """Text that is not a cursor as `cursor_for()` writes it."""


def cursor_for(row, columns=ROWS):
    """Where a page stops: "<microseconds since 1970>-<id>" of its last row."""
    time, pk = columns
    moment = getattr(row, time)
    micros = int(moment.timestamp()) * 1_000_000 + moment.microsecond
    return f"{micros}-{getattr(row, pk)}"


def parse(text):
    """(published_at, id) of a cursor; BadCursor for anything else."""
    micros, sep, pk = text.partition("-")
    if not (sep and is_digits(micros) and is_digits(pk) and len(micros) <= 18 and len(pk) <= 18):
        raise BadCursor(text)
    try:
        return datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC), int(pk)
    except (OverflowError, ValueError, OSError) as error:
        raise BadCursor(text) from error


def older_than(moment, pk, columns=ROWS):
    # The bound on the time alone lets the index seek to the page; the OR only sorts out
    # rows of the same time.
    time, key = columns
    return Q(**{f"{time}__lte": moment}) & (Q(**{f"{time}__lt": moment}) | Q(**{f"{key}__lt": pk}))


def newer_than(moment, pk, columns=ROWS):
    time, key = columns
    return Q(**{f"{time}__gte": moment}) & (Q(**{f"{time}__gt": moment}) | Q(**{f"{key}__gt": pk}))


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


def page(queryset, size, before=None, after=None, columns=ROWS):
    """(rows, older cursor or None, newer cursor or None) of the page of `queryset` that ends
    just before the cursor `before`, or starts just after `after`, or else the first."""
    time, key = columns
    if after is not None:
        rows = list(queryset.filter(newer_than(*after, columns)).order_by(time, key)[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        older = cursor_for(rows[-1], columns) if rows else None
        newer = cursor_for(rows[0], columns) if rows and more_newer else None
        return rows, older, newer
    if before is not None:
        queryset = queryset.filter(older_than(*before, columns))
    rows = list(queryset.order_by(f"-{time}", f"-{key}")[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    older = cursor_for(rows[-1], columns) if more_older else None
    newer = cursor_for(rows[0], columns) if rows and before is not None else None
    return rows, older, newer
