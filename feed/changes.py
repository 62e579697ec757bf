"""Where a poller stands in the feed's changes, so that its next poll is sent every one it lacks.

Why not a time: a change's time (updated_at, published_at) is set inside its transaction, and
transactions commit in another order than they began. A poller that asks for what changed after
the newest time it has seen misses an item that commits after an item with a later time. An
autoincrement id has the same flaw. Re-sending a few seconds of overlap only narrows the gap to
transactions slower than the overlap (an import, a lock wait), which nothing bounds on SQLite.
A "changes" table written after commit loses the change when the process dies in between, and
its ids too come in another order than their commits unless every writer takes one lock.

So the database numbers every write to the feed's tables (FeedItem.change_number,
FeedRemoval.change_number), by a trigger that no save, bulk update or import can skip, and a
poll hands back a Position that says which numbers the answer's reader has seen, in a form
that stays true whatever commits later:

- PostgreSQL numbers a row with the id of the transaction that wrote it,
  `pg_current_xact_id()`, and a Position is the database's snapshot as the answer was made:
  every id below `horizon` except those `in_progress` had committed. A transaction still in
  progress then is "not seen" however low its id, so it is sent once it commits. Nothing is
  locked and writers never wait for each other.
- SQLite lets one transaction write at a time, from its first write to its commit, so a counter
  bumped by each write counts in commit order: a Position is "every number up to the counter".

The trigger is (re)made after every `migrate` (see `install()`), because SQLite drops triggers
when a migration rebuilds a table.

A Position also holds the time the answer was made: an item scheduled for later becomes
visible by the clock, with no write, so a poll is also sent items due since then.

A Position is taken *before* the query whose answer it goes with, so anything that answer
misses is newer than it; what the answer shows that is newer too comes again in the next one,
and pollers drop what they already have (same id, same updated_at).

Old pages still ask updates.json?since=<time>, answered by the times as before; every answer
carries a cursor, and static/feed/live.js goes on with after=<cursor> from its first answer.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from newsroom.characters import is_digits

# A snapshot lists one id per transaction open at the time; PostgreSQL's max_connections
# bounds them in practice.
MAX_IN_PROGRESS = 1000
COUNTER_TABLE = "feed_change_counter"


class BadPosition(ValueError):
    """Text that is not a Position as `str(Position)` writes it."""


@dataclass(frozen=True)
class Position:
    """What a poller has been sent: items due by `moment`, and every change numbered below
    `horizon` except those `in_progress`."""

    moment: datetime
    horizon: int
    in_progress: tuple[int, ...] = ()

    def __str__(self):
        micros = int(self.moment.timestamp()) * 1_000_000 + self.moment.microsecond
        return ".".join(str(number) for number in (micros, self.horizon, *self.in_progress))

    @classmethod
    def parse(cls, text):
        """The Position `str()` wrote as `text`: "<µs since 1970>.<horizon>[.<in progress>...]"."""
        parts = text.split(".")
        if len(parts) < 2 or not all(is_digits(part) and len(part) <= 19 for part in parts):
            raise BadPosition("not numbers separated by dots")
        micros, horizon, *in_progress = (int(part) for part in parts)
        if len(in_progress) > MAX_IN_PROGRESS:
            raise BadPosition(f"more than {MAX_IN_PROGRESS} changes in progress")
        if any(number >= horizon for number in in_progress):
            raise BadPosition("a change in progress at or above the horizon")
        try:
            moment = datetime.fromtimestamp(micros / 1_000_000, tz=UTC)
        except (OverflowError, ValueError, OSError) as error:
            raise BadPosition("a time out of range") from error
        if not 1 < moment.year < 9999:
            raise BadPosition("a time out of range")
        return cls(moment, horizon, tuple(in_progress))

    def unseen(self):
        """Rows (of FeedItem or FeedRemoval) written by a change not yet seen from here."""
        return Q(change_number__gte=self.horizon) | Q(change_number__in=self.in_progress)


def current():
    """Where the feed stands now, for an answer or a page about to be read from the database."""
    moment = timezone.now()
    columns = position_columns()
    select = ", ".join(sql for sql, _ in columns.values())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}")
        return position_from(moment, cursor.fetchone())


def position_columns():
    """SQL for where the feed stands, as columns any query may carry (`annotate()` them), so
    that a page reads its feed items and their position in one statement, which sees one
    state of the database: {name: (sql, params)}."""
    if connection.vendor == "postgresql":
        return {
            "feed_snapshot": ("pg_current_snapshot()::text", ()),
            "feed_own": ("pg_current_xact_id_if_assigned()::text", ()),
        }
    return {"feed_counter": (f"(SELECT value FROM {COUNTER_TABLE})", ())}


def position_from(moment, values):
    """The Position from the values of position_columns(), in their order."""
    if connection.vendor == "postgresql":
        snapshot, own = values
        _, horizon, open_ids = snapshot.split(":")
        in_progress = {int(number) for number in open_ids.split(",") if number}
        # A snapshot leaves out the transaction it is taken in, which sees its own writes;
        # those it makes after this point must still count as not seen.
        if own is not None and int(own) < int(horizon):
            in_progress.add(int(own))
        return Position(moment, int(horizon), tuple(sorted(in_progress)))
    (counted,) = values
    return Position(moment, counted + 1)


def _postgresql_statements(tables):
    yield """
        CREATE OR REPLACE FUNCTION feed_number_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.change_number := pg_current_xact_id()::text::bigint;
            RETURN NEW;
        END
        $$
    """
    for table in tables:
        yield f"DROP TRIGGER IF EXISTS feed_numbered ON {table}"
        yield (
            f"CREATE TRIGGER feed_numbered BEFORE INSERT OR UPDATE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION feed_number_change()"
        )


def _sqlite_statements(tables):
    yield (
        f"CREATE TABLE IF NOT EXISTS {COUNTER_TABLE} "
        "(id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL)"
    )
    highest = ", ".join(f"(SELECT COALESCE(MAX(change_number), 0) FROM {t})" for t in tables)
    yield f"INSERT OR IGNORE INTO {COUNTER_TABLE} (id, value) VALUES (1, MAX({highest}))"
    for table in tables:
        for event in ("insert", "update"):
            # SQLite's recursive_triggers is off (Django leaves it so): the UPDATE inside does
            # not set the trigger off again.
            yield f"""
                CREATE TRIGGER IF NOT EXISTS {table}_numbered_on_{event}
                AFTER {event.upper()} ON {table} BEGIN
                    UPDATE {COUNTER_TABLE} SET value = value + 1;
                    UPDATE {table} SET change_number = (SELECT value FROM {COUNTER_TABLE})
                    WHERE rowid = NEW.rowid;
                END
            """


STATEMENTS = {"postgresql": _postgresql_statements, "sqlite": _sqlite_statements}


def install(using="default", **kwargs):
    """Make the triggers that number the feed's changes, where they are missing.

    A post_migrate receiver, so it runs after every `migrate`, the test database's included;
    it waits until the feed's tables have their change_number.
    """
    from django.db import connections

    from feed.models import FeedItem, FeedRemoval

    target = connections[using]
    if target.vendor not in STATEMENTS:
        raise NotImplementedError(
            f"The live feed numbers its changes on PostgreSQL or SQLite, not {target.vendor}."
        )
    tables = [model._meta.db_table for model in (FeedItem, FeedRemoval)]
    with target.cursor() as cursor:
        for table in tables:
            if table not in target.introspection.table_names(cursor):
                return
            columns = target.introspection.get_table_description(cursor, table)
            if "change_number" not in {column.name for column in columns}:
                return
        for statement in STATEMENTS[target.vendor](tables):
            cursor.execute(statement)
