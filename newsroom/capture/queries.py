"""The two look-ups an import makes for every page, written in SQL."""

from datetime import UTC, datetime, timedelta

from django.db import connection
from django.utils import timezone

from articles.models import Article, Status
from feed.models import FeedItem

# The two look-ups made for every page are written in SQL: building them with the ORM takes
# about twenty times as long as the database takes to answer them, and an archive import
# makes them thousands of times.
#
# Both ask for "status IN (every status)". That drops no row (the check constraints allow no
# other value), but published_at has no index of its own: it is the second column of the
# (status, -published_at) indexes, which a database can only search once the first column is
# pinned. Without the status term a fresh SQLite database (no ANALYZE statistics, as after
# migrate and in bench/import_bench.py) scans the whole feed table for every page, and the
# whole article table too, as one unsearchable branch of an OR spoils the others: at 10,000
# articles a look-up took 13 ms instead of 0.06, so an archive import slows as it grows.
# PostgreSQL 15 reads a whole index and the whole feed table: about 2.5 and 7 times slower.


def _placeholders(values):
    return ", ".join(["%s"] * len(values))


def article_candidates(data, digest, slug):
    """Rows (id, same article, slug taken, imported from this text) of articles that matter.

    The same article is one with this headline published within the byline's minute.
    """
    ops = connection.ops
    start = ops.adapt_datetimefield_value(data.published_at)
    end = ops.adapt_datetimefield_value(data.published_at + timedelta(minutes=1))
    statuses = list(Status.values)
    table = ops.quote_name(Article._meta.db_table)
    same = (
        f"(status IN ({_placeholders(statuses)}) AND published_at >= %s AND published_at < %s "
        "AND headline = %s)"
    )
    sql = (
        f"SELECT id, CASE WHEN {same} THEN 1 ELSE 0 END, CASE WHEN slug = %s THEN 1 ELSE 0 END, "
        f"CASE WHEN import_digest = %s THEN 1 ELSE 0 END FROM {table} "
        f"WHERE {same} OR import_digest = %s OR slug = %s ORDER BY id"
    )
    same_params = [*statuses, start, end, data.headline]
    params = [*same_params, slug, digest, *same_params, digest, slug]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def feed_rows(items, fields):
    """Feed items already stored with these headlines and times, as dicts by (headline, time)."""
    ops = connection.ops
    statuses = list(FeedItem.Status.values)
    times = list({ops.adapt_datetimefield_value(item.published_at) for item in items})
    headlines = list({item.headline for item in items})
    columns = ["id", "headline", "published_at", *fields]
    sql = (
        f"SELECT {', '.join(columns)} FROM {ops.quote_name(FeedItem._meta.db_table)} "
        f"WHERE status IN ({_placeholders(statuses)}) AND published_at IN ({_placeholders(times)}) "
        f"AND headline IN ({_placeholders(headlines)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*statuses, *times, *headlines])
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        moment = row["published_at"]
        if isinstance(moment, str):
            moment = datetime.fromisoformat(moment)
        moment = moment.replace(tzinfo=UTC) if timezone.is_naive(moment) else moment
        row["published_at"], row["pk"] = moment.astimezone(UTC), row["id"]
    return {(row["headline"], row["published_at"]): row for row in rows}
