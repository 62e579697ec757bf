"""Keep search entries in step with articles and feed items: on every save, delete and import.

Entries are written in the transaction of the change that calls for them, so the index never
shows what was rolled back. Bulk writes that send no signals (imports) call `*_changed()`.
Within `deferred()` (an import's batch of pages) what changed is written once, as it ends.
"""

import contextlib
import contextvars
import re
from collections import defaultdict

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from articles import rendering
from articles.models import Article, ArticleAuthor, Author
from feed.models import FeedItem
from search.models import Entry

CHUNK = 2000
# Control characters never reach the index: two of them mark the words found (backends.py).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean(*parts):
    return CONTROL.sub(" ", "\n".join(part for part in parts if part))


def own_excerpt(article, body):
    """The excerpt, when an editor wrote one: else it repeats the body's first paragraph."""
    excerpt = article.excerpt.strip()
    return [excerpt] if excerpt and excerpt not in body else []


# What an entry reads of an article and of a feed item: rows loaded without the rest.
ARTICLE_FIELDS = ("headline", "dek", "excerpt", "body", "section_id", "published_at")
FEED_ITEM_FIELDS = ("headline", "summary", "section_id", "published_at")


def article_entry(article, author_names):
    """The entry of an article, with its authors' names in byline order."""
    body = rendering.plain_text(article.body)
    return Entry(
        kind=Entry.Kind.ARTICLE,
        article=article,
        headline=clean(article.headline),
        text=clean(article.dek, *own_excerpt(article, body), body),
        authors=clean(*author_names),
        section_id=article.section_id,
        published_at=article.published_at,
    )


def feed_item_entry(item):
    return Entry(
        kind=Entry.Kind.FEED_ITEM,
        feed_item=item,
        headline=clean(item.headline),
        text=clean(rendering.markdown_to_text(item.summary)),
        section_id=item.section_id,
        published_at=item.published_at,
    )


# The ids of articles and of feed items whose entries wait for the end of a deferred() block.
_waiting = contextvars.ContextVar("search_waiting", default=None)


@contextlib.contextmanager
def deferred():
    """Within the block, entries of what changes are written once, when it ends without an
    error: in its transaction when the block is inside one, as an import's batch is."""
    if _waiting.get() is not None:
        yield
        return
    waiting = (set(), set())
    token = _waiting.set(waiting)
    try:
        yield
    finally:
        _waiting.reset(token)
    for pks, refresh in zip(waiting, (refresh_articles, refresh_feed_items), strict=True):
        pks = sorted(pks)
        for start in range(0, len(pks), CHUNK):
            refresh(pks[start : start + CHUNK])


def articles_changed(pks):
    """These articles' entries are to be written afresh: now, or as deferred() ends."""
    waiting = _waiting.get()
    if waiting is None:
        refresh_articles(pks)
    else:
        waiting[0].update(pks)


def feed_items_changed(pks):
    waiting = _waiting.get()
    if waiting is None:
        refresh_feed_items(pks)
    else:
        waiting[1].update(pks)


def refresh_articles(pks):
    """Write the entries of these articles afresh (and drop those of articles gone)."""
    pks = list(pks)
    with transaction.atomic():
        Entry.objects.filter(article_id__in=pks).delete()
        names = defaultdict(list)
        bylines = ArticleAuthor.objects.filter(article_id__in=pks).order_by("position", "id")
        for article_id, name in bylines.values_list("article_id", "author__name"):
            names[article_id].append(name)
        articles = Article.objects.filter(pk__in=pks).only(*ARTICLE_FIELDS)
        Entry.objects.bulk_create(article_entry(article, names[article.pk]) for article in articles)


def refresh_feed_items(pks):
    pks = list(pks)
    with transaction.atomic():
        Entry.objects.filter(feed_item_id__in=pks).delete()
        items = FeedItem.objects.filter(pk__in=pks).only(*FEED_ITEM_FIELDS)
        Entry.objects.bulk_create(map(feed_item_entry, items))


def rebuild(progress=None):
    """Write every entry afresh, CHUNK rows at a time; returns how many."""
    written = 0
    for model, refresh in ((Article, refresh_articles), (FeedItem, refresh_feed_items)):
        pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
        if model is Article:
            Entry.objects.filter(kind=Entry.Kind.ARTICLE).exclude(article_id__in=pks).delete()
        for start in range(0, len(pks), CHUNK):
            refresh(pks[start : start + CHUNK])
            written += len(pks[start : start + CHUNK])
            if progress:
                progress(written)
    return written


# Signal receivers.


def article_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        articles_changed([instance.pk])


def byline_changed(sender, instance, raw=False, origin=None, **kwargs):
    # An article being deleted takes its entry with it: writing one now would outlive it.
    if raw or isinstance(origin, Article) or getattr(origin, "model", None) is Article:
        return
    articles_changed([instance.article_id])


def author_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        articles_changed(instance.bylines.values_list("article_id", flat=True))


def feed_item_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        feed_items_changed([instance.pk])


def connect():
    post_save.connect(article_saved, sender=Article, dispatch_uid="search-article")
    for signal in (post_save, post_delete):
        signal.connect(byline_changed, sender=ArticleAuthor, dispatch_uid="search-byline")
    post_save.connect(author_saved, sender=Author, dispatch_uid="search-author")
    post_save.connect(feed_item_saved, sender=FeedItem, dispatch_uid="search-feed-item")
