from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from articles import models as articles
from articles.models import Article, Section, bylines_prefetch
from feed import models as feed
from feed.models import FeedItem
from newsroom.text import validate_one_line


class EntryQuerySet(models.QuerySet):
    def published(self):
        """Entries of what readers may see, by the articles' and the feed's own rule.

        As joins, not subqueries: PostgreSQL cannot make semi-joins of two subqueries joined
        by OR, and would read every published article to answer any search.
        """
        now = timezone.now()
        return self.filter(
            articles.READERS.see("article__", now) | feed.READERS.see("feed_item__", now)
        )

    def hidden_parts(self):
        """Entries of what readers may not see, as querysets that share no entry (their counts
        add up), each found from the status indexes: as cheap as there are few of them, however
        many entries there are."""
        now = timezone.now()
        sources = (
            ("article__in", Article, articles.READERS.do_not_see(now)),
            ("feed_item__in", FeedItem, feed.READERS.do_not_see(now)),
        )
        parts = []
        for relation, model, conditions in sources:
            # One query a condition, each on its index: joined by OR, no index finds them.
            held = [
                model.objects.filter(condition).order_by().values("pk") for condition in conditions
            ]
            parts.append(self.filter(**{relation: held[0].union(*held[1:])}))
        return parts

    def for_listing(self):
        """What a list of results shows, in a fixed number of queries."""
        return self.select_related(
            "section", "article__section", "feed_item__section", "feed_item__article"
        ).prefetch_related(
            models.Prefetch("article__bylines", queryset=bylines_prefetch().queryset)
        )


class Entry(models.Model):
    """An article or a feed item as search reads it, kept in step with every save.

    One table for both kinds, so that a search ranks and pages them together in one query.
    Which entries readers may find is decided at search time by `published()`.
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        FEED_ITEM = "feed_item", "Feed item"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="search_entry"
    )
    feed_item = models.OneToOneField(
        FeedItem, on_delete=models.CASCADE, null=True, blank=True, related_name="search_entry"
    )
    headline = models.TextField()
    text = models.TextField(blank=True, help_text="Dek, excerpt and body; or the summary.")
    authors = models.TextField(blank=True)
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # PostgreSQL only: written by a trigger from headline (A), authors (B) and text (C), with
    # a GIN index made by the migration. SQLite keeps an FTS5 table instead (EntryText).
    vector = SearchVectorField(null=True, editable=False)
    # The headline's alone, small enough to stay in the row: ranking reads it for every match,
    # where reading `vector` would fetch and decompress each article's whole text.
    headline_vector = SearchVectorField(null=True, editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name_plural = "entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="article", article__isnull=False, feed_item__isnull=True)
                | Q(kind="feed_item", article__isnull=True, feed_item__isnull=False),
                name="search_entry_one_source",
            ),
        ]
        indexes = [models.Index(fields=["-published_at", "-id"], name="search_entry_newest")]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return (self.article or self.feed_item).get_absolute_url()

    @property
    def source(self):
        return self.article or self.feed_item


class MatchField(models.TextField):
    """A column of an FTS5 table, which `__match` compares with a full-text query."""


@MatchField.register_lookup
class Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class EntryText(models.Model):
    """SQLite's FTS5 index of Entry (a virtual table kept in step by triggers: backends.py)."""

    entry = models.OneToOneField(
        Entry, on_delete=models.DO_NOTHING, primary_key=True, db_column="rowid", related_name="+"
    )
    headline = MatchField()
    text = MatchField()
    authors = MatchField()
    # The hidden column named after the table: a match on it searches every column.
    anywhere = MatchField(db_column="search_entry_fts")

    class Meta:
        managed = False
        db_table = "search_entry_fts"

    def __str__(self):
        return str(self.pk)


class Synonym(models.Model):
    """Another spelling of a name: a search for either finds both."""

    spelling = models.CharField(
        max_length=100,
        unique=True,
        validators=[validate_one_line],
        help_text="A spelling readers may type, such as “Kiev” or “Zelenskiy”.",
    )
    preferred = models.CharField(
        max_length=100,
        validators=[validate_one_line],
        help_text=(
            "The spelling our articles use, such as “Kyiv” or “Zelensky”. Every spelling with "
            "the same preferred one finds the others."
        ),
    )

    class Meta:
        ordering = ["preferred", "spelling"]

    def __str__(self):
        return f"{self.spelling} → {self.preferred}"
