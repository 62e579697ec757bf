"""Apply parsed pages to the database: nothing written from a bad page.

Pages are applied BATCH at a time in one transaction, each page in a savepoint of its own, so
a bad page is rolled back alone; the search index is written once a batch, and so are the
bylines of new articles and the new feed items (see Waiting).
"""

import contextlib
import hashlib
from dataclasses import dataclass, field
from datetime import UTC
from itertools import islice

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import listings, revisions, workflow
from articles.models import Article, ArticleAuthor, Author, Section, Status
from feed.models import FeedItem
from newsroom import freshness
from newsroom.capture.parse import KNOWN_PUBLISHERS, PageError, parse_page
from newsroom.capture.queries import article_candidates, feed_rows
from search import index as search_index

SLUG_MAX = 200  # as Article.save() makes slugs
BATCH = 200  # pages a transaction


@dataclass
class Outcome:
    """What importing one page did (or, in a dry run, would do)."""

    name: str
    article: str = ""  # "created", "updated", "unchanged" or "" for a page with no article
    headline: str = ""
    authors_created: list = field(default_factory=list)
    sections_created: list = field(default_factory=list)
    feed_created: list = field(default_factory=list)
    feed_updated: list = field(default_factory=list)

    @property
    def state(self):
        """'imported', 'updated' or 'unchanged', for the summary."""
        if self.article == "created" or (not self.article and self.feed_created):
            return "imported"
        if self.article == "updated" or self.feed_created or self.feed_updated:
            return "updated"
        if self.authors_created or self.sections_created:
            return "updated"
        return "unchanged"


@dataclass
class Waiting:
    """Rows the batch's pages made that are written together as the batch ends: one bulk
    insert costs about as much for one page's few rows as for a batch's, and an archive's
    pages each add a byline or two and a feed item. Nothing reads them before: the bylines
    are those of new articles, written before anything changes an article again, and a later
    page finds its feed items here."""

    bylines: list = field(default_factory=list)
    feed_items: dict = field(default_factory=dict)  # by (headline, time in UTC)


class Importer:
    """Apply parsed pages, each in a transaction (or a savepoint of its batch's) of its own,
    remembering authors and sections between pages.

    The memory is only of rows that exist: what a failed or dry-run page created is forgotten
    when its transaction is rolled back, and what a batch created when the batch's is.
    """

    def __init__(self, status="published", dry_run=False, tz=None, publishers=None):
        self.status = status
        self.dry_run = dry_run
        self.tz = tz or timezone.get_default_timezone()
        site_name = settings.NEWSROOM.get("SITE_NAME", "")
        self.publishers = publishers or tuple(dict.fromkeys([site_name, *KNOWN_PUBLISHERS]))
        self._authors = {}
        self._sections = {}
        self._new_keys = []
        self._batch_keys, self._batch_changed = [], False
        self._waiting = Waiting()

    def import_all(self, sources):
        """Import each (name, read) of `sources`, BATCH pages a transaction; yields (name, the
        page's Outcome, or the PageError that kept it out).

        A page that cannot be read or parsed is left out before anything is written; an error
        while a page is written ends the import, its batch rolled back."""
        sources = iter(sources)
        while batch := list(islice(sources, BATCH)):
            with self._batch():
                for name, read in batch:
                    try:
                        page = self.parse(read())
                    except PageError as error:
                        yield name, error
                        continue
                    yield name, self._apply_page(name, page)

    def import_page(self, name, data):
        """Parse and apply one page, a batch of its own; raise PageError and write nothing
        when it is malformed."""
        with self._batch():
            return self._import(name, data)

    @contextlib.contextmanager
    def _batch(self):
        """One transaction for the batch. The writes are in bulk and the saves' own signals
        are held, so cached pages, open feed pages and the search index are told once."""
        self._batch_keys, self._batch_changed = [], False
        try:
            with transaction.atomic(), search_index.deferred(), freshness.held():
                yield
                self._write_waiting()
                if self._batch_changed:
                    transaction.on_commit(freshness.everything_changed)
        except BaseException:
            self._new_keys = self._batch_keys
            self._forget_new()
            self._waiting = Waiting()
            raise

    def _write_waiting(self):
        """Write the rows the batch's pages left waiting (see Waiting)."""
        waiting, self._waiting = self._waiting, Waiting()
        ArticleAuthor.objects.bulk_create(waiting.bylines)
        items = FeedItem.objects.bulk_create(waiting.feed_items.values())
        # Bulk writes send no signals: the search index is told here.
        search_index.feed_items_changed([item.pk for item in items])

    def parse(self, data):
        return parse_page(data, self.tz, self.publishers)

    def _import(self, name, data):
        return self._apply_page(name, self.parse(data))

    def _apply_page(self, name, page):
        """Apply one page in a savepoint of the batch's transaction."""
        digest = hashlib.sha256(f"{self.status}\n{page.digest}".encode()).hexdigest()
        self._new_keys = []
        try:
            with transaction.atomic(), revisions.paused():
                outcome = self._apply(name, page, digest)
                if self.dry_run:
                    transaction.set_rollback(True)
        except BaseException:
            self._forget_new()
            raise
        if self.dry_run:
            # Rolled back: what the page left waiting goes too (all that waits in a dry run).
            self._forget_new()
            self._waiting = Waiting()
            return outcome
        self._batch_keys += self._new_keys
        changed_article = outcome.article in ("created", "updated")
        self._batch_changed |= bool(changed_article or outcome.feed_created or outcome.feed_updated)
        return outcome

    def _forget_new(self):
        for cache, key in self._new_keys:
            cache.pop(key, None)
        self._new_keys = []

    def _apply(self, name, page, digest):
        outcome = Outcome(name)
        article = None
        if page.article is not None:
            article = self._apply_article(page.article, digest, outcome)
            if article is None:
                # Imported from this very text before: nothing to compare.
                return outcome
        written = self._apply_feed(page.feed_items, page.article, article, outcome)
        # Bulk writes send no signals: the search index is told here, in the same transaction.
        if outcome.article in ("created", "updated"):
            search_index.articles_changed([article.pk])
        if written:
            search_index.feed_items_changed(written)
        if outcome.article == "updated":
            # A new article is its source file; an update overwrites what editors may have
            # saved, so it is kept as a revision they can compare and restore from.
            revisions.record(article, f"Imported from {name}.")
        return outcome

    def _author(self, author, outcome):
        found = self._authors.get(author.name)
        if found is None:
            found = Author.objects.filter(name=author.name).first()
            if found is None:
                kind = Author.Kind.DESK if author.is_desk else Author.Kind.PERSON
                found = Author(name=author.name, kind=kind)
                found.save()
                outcome.authors_created.append(author.name)
                self._new_keys.append((self._authors, author.name))
            self._authors[author.name] = found
        return found

    def _section(self, name, outcome):
        found = self._sections.get(name)
        if found is None:
            found = Section.objects.filter(name=name).first()
            if found is None:
                found = Section(name=name)
                found.save()
                outcome.sections_created.append(name)
                self._new_keys.append((self._sections, name))
            self._sections[name] = found
        return found

    def _apply_article(self, data, digest, outcome):
        outcome.headline = data.headline
        status = Status.DRAFT if self.status == "draft" else Status.PUBLISHED
        wanted = {
            "body": data.body,
            "status": status,
            # In UTC, which compares equal to the stored time even in a daylight-saving gap.
            "published_at": data.published_at.astimezone(UTC),
            "audio_ai_generated": data.audio_ai_generated,
        }
        slug = slugify(data.headline)[:SLUG_MAX].strip("-")
        article_id, slug_taken = None, False
        for pk, same, taken, imported_here in article_candidates(data, digest, slug):
            if imported_here:
                outcome.article = "unchanged"
                return None
            slug_taken = slug_taken or bool(taken)
            if article_id is None and same:
                article_id = pk
        if article_id:
            # The article may be one of this batch's, its bylines still waiting: they are
            # written before it is changed (which copies its times to them) or they are read.
            self._write_waiting()
            article = Article.objects.get(pk=article_id)
        else:
            article = None
        authors = [self._author(author, outcome) for author in data.authors]
        if article is None:
            article = Article(headline=data.headline, import_digest=digest, **wanted)
            if slug and not slug_taken:
                article.slug = slug
            article.save()
            outcome.article = "created"
        else:
            move_to = wanted.pop("status")
            changed = [key for key, value in wanted.items() if getattr(article, key) != value]
            if changed:
                for key in changed:
                    setattr(article, key, wanted[key])
                article.import_digest = digest
                # The capture is the newsroom's own page: not an edit made now.
                article.save(update_fields=[*changed, "import_digest", "updated_at"], edited=False)
                outcome.article = "updated"
            else:
                outcome.article = "unchanged"
            if self._move(article, move_to, outcome):
                outcome.article = "updated"
        author_ids = [author.pk for author in authors]
        if outcome.article != "created":
            current = list(
                article.bylines.order_by("position", "id").values_list("author_id", flat=True)
            )
            if current == author_ids:
                return article
            article.bylines.all().delete()
            if outcome.article == "unchanged":
                article.import_digest = digest
                article.save(update_fields=["import_digest", "updated_at"])
            outcome.article = "updated"
        bylines = [
            # bulk_create() sends no pre_save: what articles/listings.py copies, given here
            ArticleAuthor(
                article=article, author_id=pk, position=position, **listings.copied(article)
            )
            for position, pk in enumerate(author_ids)
        ]
        if outcome.article == "created":
            self._waiting.bylines += bylines
        else:
            # Read at once, for the revision the update keeps.
            ArticleAuthor.objects.bulk_create(bylines)
        return article

    def _move(self, article, status, outcome):
        """Give an existing article the status the import asks for, through the workflow.

        An import for review never takes down what readers see: a published article stays
        published. Any other move the workflow allows is made, and audited, as the clock's.
        """
        if article.status == status or not workflow.may_move(None, article.status, status):
            return False
        note = f"Imported from {outcome.name}"
        if status == Status.PUBLISHED and article.published_at > timezone.now():
            workflow.schedule(article=article, by=None, at=article.published_at, note=note)
        elif status == Status.PUBLISHED:
            workflow.publish(article=article, by=None, at=article.published_at, note=note)
        else:
            workflow.move(article=article, by=None, to=status, note=note)
        return True

    def _apply_feed(self, items, article_data, article, outcome):
        """Create and update the page's feed items; returns the ids of the stored ones
        written (new ones wait for the batch's end: see Waiting)."""
        if not items:
            return []
        status = FeedItem.Status.DRAFT if self.status == "draft" else FeedItem.Status.PUBLISHED
        fields = ("summary", "section_id", "article_id", "status")
        existing = feed_rows(items, fields)
        waiting = self._waiting.feed_items
        article_headline = article_data.headline.rstrip(".") if article_data else None
        changed, seen = {}, set()
        for data in items:
            # In UTC: Python never finds a local time in a daylight-saving gap equal to a time
            # in another zone, even the same instant.
            key = (data.headline, data.published_at.astimezone(UTC))
            if key in seen:
                continue
            seen.add(key)
            section = self._section(data.section, outcome) if data.section else None
            linked = article if data.headline.rstrip(".") == article_headline else None
            wanted = {
                "summary": data.summary,
                "section_id": section.pk if section else None,
                "article_id": linked.pk if linked else None,
                "status": status,
            }
            row = existing.get(key)
            item = waiting.get(key) if row is None else None
            if item is not None:
                # An earlier page of the batch made it: as for a stored one, below.
                row = {name: getattr(item, name) for name in fields}
            elif row is None:
                item = FeedItem(headline=data.headline, published_at=data.published_at, **wanted)
                # As save() would: bulk_create() does not.
                item.render_summary()
                item.note_change(timezone.now())
                waiting[key] = item
                outcome.feed_created.append(data)
                continue
            # A later capture lists the item without its story or its section header; what an
            # earlier capture said stays.
            for name in ("section_id", "article_id"):
                if wanted[name] is None:
                    wanted[name] = row[name]
            if self.status == "draft":
                # Importing for review never takes down an item readers already see.
                wanted["status"] = row["status"]
            if any(row[name] != wanted[name] for name in fields):
                outcome.feed_updated.append(data)
                if item is None:
                    changed[row["pk"]] = wanted
                    continue
                for name, value in wanted.items():
                    setattr(item, name, value)
                item.render_summary()
        now = timezone.now()
        for pk, wanted in changed.items():
            extra = {"url": ""} if wanted["article_id"] else {}
            written = FeedItem(summary=wanted["summary"])
            written.render_summary()
            extra["summary_rendered"] = written.summary_rendered
            # The capture is the newsroom's own page, not an edit made now: modified_at stays.
            FeedItem.objects.filter(pk=pk).update(**wanted, **extra, updated_at=now)
        return list(changed)
