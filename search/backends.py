"""Full-text search on the database in use: PostgreSQL's own, or SQLite's FTS5.

Both read a Query (query.py), find Entry rows, say which matched in their headline, and mark
the words found in a headline and a passage. Words are matched by their stem (English), whatever
their case and accents, on both.
"""

import functools
import operator

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connection, connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Q,
    Value,
    When,
)

from search.models import Entry, EntryText

# Put around the words found; no indexed text holds them (index.py removes control characters).
MARK_START, MARK_END = "\x02", "\x03"
PASSAGE_WORDS = 32


class Backend:
    """How many results there are and which fill a page, the same way on both databases.

    The results' queryset sorts every match (headline matches first, then newest) and checks
    each against the readers' rule: for a word in one entry of twenty that is most of a
    search's time. From MANY matches on, which the full-text index counts alone (`matched`), a
    page is taken in two parts, headline matches then the others, each newest first, which the
    planner can walk on the newest-first index until the page is full; and the count is the
    index's count less the matching entries readers may not see, found from the status indexes.
    """

    MANY = 1000

    def count(self, results):
        matches, _ = self.matched(results)
        if not results.everything or matches < self.MANY:
            return results.entries.count()
        hidden = [
            self.found(part, results.query).order_by().values("pk")
            for part in Entry.objects.hidden_parts()
        ]
        return matches - hidden[0].union(*hidden[1:], all=True).count()

    def window(self, results, start, stop):
        matches, in_headlines = self.matched(results)
        if stop is None or matches < self.MANY:
            return list(results.entries[start:stop])
        query = results.query
        found = self.found(results.among, query).order_by("-published_at", "-id")
        found = found.values_list("pk", flat=True)
        firsts = found.filter(self.in_headline(query, few=in_headlines < self.MANY))
        page = list(firsts[start:stop]) if in_headlines else []
        others = []
        if len(page) < stop - start:
            # The entries with the words in their headline end on this page or before it.
            if not in_headlines:
                before = 0
            elif page or not start:
                before = start + len(page)
            else:
                before = results.entries.filter(in_headline=True).count()
            others = found.exclude(self.in_headline(query, few=False))
            others = list(others[max(start - before, 0) : stop - before])
        rows = results.among.in_bulk(page + others)
        for pk in page:
            rows[pk].in_headline = True
        for pk in others:
            rows[pk].in_headline = False
        return [rows[pk] for pk in page + others]


class PostgreSQL(Backend):
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

    def matched(self, results):
        """How many entries of any state match, and how many of those in their headline."""
        if results.matched is None:
            counts = Entry.objects.filter(vector=self.tsquery(results.query)).aggregate(
                matches=Count("pk"),
                in_headlines=Count("pk", filter=Q(headline_vector=self.wanted(results.query))),
            )
            results.matched = counts["matches"], counts["in_headlines"]
        return results.matched

    def found(self, entries, query):
        return entries.filter(vector=self.tsquery(query))

    def in_headline(self, query, few):
        return Q(headline_vector=self.wanted(query))

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


class SQLite(Backend):
    """An FTS5 table over Entry (porter stems, unicode61 folding case and diacritics).

    SQLite's planner cannot tell how many entries a full-text match returns and starts from
    that list whenever it can: `found()` keeps it from doing so where a walk is wanted.
    """

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
        return entries.filter(pk__in=self.matching(query)).annotate(
            in_headline=Case(
                When(pk__in=self.matching_headlines(query), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )

    def matching(self, query):
        return EntryText.objects.filter(anywhere__match=self.expression(query)).values("entry_id")

    def matching_headlines(self, query):
        return EntryText.objects.filter(headline__match=self.wanted(query)).values("entry_id")

    def matched(self, results):
        """How many entries of any state match, and how many in their headline: FTS5 counts
        them from its index alone."""
        if results.matched is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    SELECT
                        (SELECT count(*) FROM search_entry_fts WHERE search_entry_fts MATCH %s),
                        (SELECT count(*) FROM search_entry_fts WHERE headline MATCH %s)
                    """,
                    [self.expression(results.query), self.wanted(results.query)],
                )
                results.matched = cursor.fetchone()
        return results.matched

    def found(self, entries, query):
        """`entries` that match, each tested as it comes: `id + 0` is no column, so SQLite
        cannot start from the list of matches and walks whatever index the order needs."""
        walked = ExpressionWrapper(F("pk") + 0, output_field=IntegerField())
        return entries.alias(walked=walked).filter(walked__in=self.matching(query))

    def in_headline(self, query, few):
        """Of `found()`: those with every word in the headline; when `few`, started from their
        list rather than walked to."""
        listed = self.matching_headlines(query)
        return Q(walked__in=listed) & (Q(pk__in=listed) if few else Q())

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
