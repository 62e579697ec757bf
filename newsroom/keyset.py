"""Pages of a list ordered newest first, by where the last page stopped, never by OFFSET.

A page after the first names the (published_at, id) of the last row before it, so every page
is read from an index in one step, however deep, and no list counts its rows.
"""

from datetime import UTC, datetime

from django.db.models import Q


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
    return Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk)


def newer_than(moment, pk):
    return Q(published_at__gt=moment) | Q(published_at=moment, pk__gt=pk)


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
