"""Full-text search on the database in use: PostgreSQL's own, or SQLite's FTS5.

Both read a Query (query.py), find Entry rows, say which matched in their headline, and mark
the words found in a headline and a passage. Words are matched by their stem (English), whatever
their case and accents, on both.
"""

import functools
import operator

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connection, connections
from django.db.models import BooleanField, Case, F, Func, Value, When

from search.models import Entry, EntryText

# Put around the words found; no indexed text holds them (index.py removes control characters).
MARK_START, MARK_END = "\x02", "\x03"
PASSAGE_WORDS = 32


class PostgreSQL:
    """A stored tsvector (headline A, authors B, text C) with a GIN index, read with websearch
    queries in the `newsroom` configuration: English stems, accents removed by unaccent."""

    config = "newsroom"

    def phrase(self, words, prefix=False):
        # The words are letters and digits only (query.py): nothing in them is an operator.
        if prefix and len(words) == 1:
            return SearchQuery(f"{words[0]}:*", search_type="raw", config=self.config)
        return SearchQuery(f'"{" ".join(words)}"', search_type="websearch", config=self.config)

    def clause(self, clause):
        phrases = (self.phrase(words, clause.prefix) for words in clause.phrases)
        return functools.reduce(operator.or_, phrases)

    def wanted(self, query):
        return functools.reduce(operator.and_, map(self.clause, query.wanted))

    def tsquery(self, query):
        found = self.wanted(query)
        for clause in query.unwanted:
            for words in clause.phrases:  # not (a or b) = not a and not b
                found &= ~self.phrase(words)
        return found

    def match(self, entries, query):
        in_headline = Func(
            F("headline_vector"),
            self.wanted(query),
            template="(%(expressions)s)",
            arg_joiner=" @@ ",
            output_field=BooleanField(),
        )
        return entries.filter(vector=self.tsquery(query)).annotate(in_headline=in_headline)

    def marked(self, pks, query):
        found = self.wanted(query)
        options = {"config": self.config, "start_sel": MARK_START, "stop_sel": MARK_END}
        rows = (
            Entry.objects.filter(pk__in=pks)
            .annotate(
                marked_headline=SearchHeadline("headline", found, highlight_all=True, **options),
                passage=SearchHeadline(
                    "text",
                    found,
                    max_words=PASSAGE_WORDS,
                    min_words=PASSAGE_WORDS // 2,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    **options,
                ),
            )
            .values_list("pk", "marked_headline", "passage")
        )
        return {pk: (headline, passage) for pk, headline, passage in rows}


class SQLite:
    """An FTS5 table over Entry (porter stems, unicode61 folding case and diacritics)."""

    def phrase(self, words, prefix=False):
        # The words are letters and digits only (query.py): no quote inside, no operator.
        return f'"{" ".join(words)}"' + ("*" if prefix and len(words) == 1 else "")

    def clause(self, clause):
        phrases = (self.phrase(words, clause.prefix) for words in clause.phrases)
        return "(" + " OR ".join(phrases) + ")"

    def wanted(self, query):
        return " AND ".join(map(self.clause, query.wanted))

    def expression(self, query):
        found = self.wanted(query)
        for clause in query.unwanted:
            found = f"({found}) NOT {self.clause(clause)}"
        return found

    def match(self, entries, query):
        matching = EntryText.objects.filter(anywhere__match=self.expression(query))
        in_headline = EntryText.objects.filter(headline__match=self.wanted(query))
        return entries.filter(pk__in=matching.values("entry_id")).annotate(
            in_headline=Case(
                When(pk__in=in_headline.values("entry_id"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )

    def marked(self, pks, query):
        if not pks:
            return {}
        places = ", ".join(["%s"] * len(pks))
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT rowid, highlight(search_entry_fts, 0, %s, %s),
                    snippet(search_entry_fts, 1, %s, %s, '…', %s)
                FROM search_entry_fts
                WHERE search_entry_fts MATCH %s AND rowid IN ({places})
                """,
                [MARK_START, MARK_END, MARK_START, MARK_END, PASSAGE_WORDS, self.wanted(query)]
                + list(pks),
            )
            return {pk: (headline, passage) for pk, headline, passage in cursor.fetchall()}


BACKENDS = {"postgresql": PostgreSQL(), "sqlite": SQLite()}


def backend():
    """The search of the database in use."""
    try:
        return BACKENDS[connection.vendor]
    except KeyError:
        raise NotImplementedError(
            f"Search runs on PostgreSQL or SQLite, not {connection.vendor}."
        ) from None


# The statements that keep the index in step with search_entry, made after every migrate.


def _postgresql_statements():
    yield """
        CREATE OR REPLACE FUNCTION search_entry_vector() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.headline_vector := to_tsvector('newsroom', coalesce(NEW.headline, ''));
            NEW.vector :=
                setweight(NEW.headline_vector, 'A')
                || setweight(to_tsvector('newsroom', coalesce(NEW.authors, '')), 'B')
                || setweight(to_tsvector('newsroom', coalesce(NEW.text, '')), 'C');
            RETURN NEW;
        END
        $$
    """
    yield "DROP TRIGGER IF EXISTS search_entry_vector ON search_entry"
    yield (
        "CREATE TRIGGER search_entry_vector BEFORE INSERT OR UPDATE ON search_entry "
        "FOR EACH ROW EXECUTE FUNCTION search_entry_vector()"
    )


SQLITE_COLUMNS = "rowid, headline, text, authors"
SQLITE_TRIGGERS = {
    "search_entry_fts_insert": f"""
        AFTER INSERT ON search_entry BEGIN
            INSERT INTO search_entry_fts ({SQLITE_COLUMNS})
            VALUES (new.id, new.headline, new.text, new.authors);
        END
    """,
    "search_entry_fts_delete": f"""
        AFTER DELETE ON search_entry BEGIN
            INSERT INTO search_entry_fts (search_entry_fts, {SQLITE_COLUMNS})
            VALUES ('delete', old.id, old.headline, old.text, old.authors);
        END
    """,
    "search_entry_fts_update": f"""
        AFTER UPDATE ON search_entry BEGIN
            INSERT INTO search_entry_fts (search_entry_fts, {SQLITE_COLUMNS})
            VALUES ('delete', old.id, old.headline, old.text, old.authors);
            INSERT INTO search_entry_fts ({SQLITE_COLUMNS})
            VALUES (new.id, new.headline, new.text, new.authors);
        END
    """,
}


def _sqlite_statements(cursor):
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    present = {name for (name,) in cursor.fetchall()}
    yield """
        CREATE VIRTUAL TABLE IF NOT EXISTS search_entry_fts USING fts5(
            headline, text, authors, content='search_entry', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        )
    """
    for name, body in SQLITE_TRIGGERS.items():
        yield f"CREATE TRIGGER IF NOT EXISTS {name} {body}"
    if not present.issuperset(SQLITE_TRIGGERS):
        # Rows written while a trigger was missing (a table rebuilt by a migration, or a new
        # index) are read again from search_entry.
        yield "INSERT INTO search_entry_fts (search_entry_fts) VALUES ('rebuild')"


def install(using="default", **kwargs):
    """Make the triggers (and SQLite's FTS5 table) that keep the index in step, where missing.

    A post_migrate receiver: SQLite drops a table's triggers when a migration rebuilds it.
    """
    target = connections[using]
    with target.cursor() as cursor:
        if Entry._meta.db_table not in target.introspection.table_names(cursor):
            return
        if target.vendor == "postgresql":
            statements = _postgresql_statements()
        elif target.vendor == "sqlite":
            statements = _sqlite_statements(cursor)
        else:
            raise NotImplementedError(f"Search runs on PostgreSQL or SQLite, not {target.vendor}.")
        for statement in statements:
            cursor.execute(statement)
    _index_what_exists(using)


def _index_what_exists(using):
    """Entries for the articles and feed items written before search was installed."""
    from articles.models import Article
    from feed.models import FeedItem
    from search import index

    if Entry.objects.using(using).exists():
        return
    if Article.objects.using(using).exists() or FeedItem.objects.using(using).exists():
        index.rebuild()
