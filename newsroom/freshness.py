"""When what readers see goes stale: the page cache and the live feed's version token.

Two tokens live in the cache. The page version is part of every cached page's key, so a new
one makes every cached page stale at once. The feed version is the ETag of open feed pages'
polls, so while it stands they are answered 304 after one cache read and no query.

Both change on any save or delete that readers could notice (wired in `connect()`), and both
record the next moment a scheduled article or feed item comes due, so that a story goes out by
the clock with no cron job and no edit. There is one clock, `timezone.now()`, and one "next
due", taken from the same querysets that decide what readers see.

The tokens must live in a cache every server process shares (Redis). With a per-process
local-memory cache, a process that did not make a change never hears of it: there the feed
version lasts one poll interval, so polls catch up within one, and cached pages within
PAGE_CACHE_SECONDS.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date


def now():
    """The one clock every freshness decision reads."""
    return timezone.now()


def next_due():
    """When the next scheduled article or feed item goes out (epoch seconds), or None."""
    from articles.models import Article
    from feed.models import FeedItem

    moments = [
        model.objects.upcoming().order_by("published_at").values_list("published_at", flat=True)[:1]
        for model in (Article, FeedItem)
    ]
    times = [moment.timestamp() for rows in moments for moment in rows]
    return min(times, default=None)


def poll_interval():
    """Seconds open feed pages wait between polls; raise FEED_POLL_INTERVAL to shed load."""
    return settings.FEED_POLL_INTERVAL


def page_cache_seconds():
    return settings.PAGE_CACHE_SECONDS


def _shared_cache():
    return not isinstance(caches["default"], LocMemCache)


class Token:
    """A value in the cache that changes when readers could see a change, or at `due`."""

    def __init__(self, key, lifetime):
        self.key = key
        self.lifetime = lifetime

    def current(self):
        """The token, read in one cache call; made afresh when missing or once due."""
        state = cache.get(self.key)
        if state is not None:
            token, due = state
            if due is None or now().timestamp() < due:
                return token
        return self.renew(next_due())

    def changed(self, sooner=None):
        """Replace the token. `sooner` is a publication time a save just set, if any.

        The next due time is kept without a query: a save can only bring it nearer. One that
        moves a schedule later leaves an early mark, which costs one spare renewal.
        """
        state = cache.get(self.key)
        if state is None:
            due = next_due()
        else:
            due = min(filter(None, (state[1], sooner)), default=None)
        return self.renew(due)

    def renew(self, due):
        token = uuid.uuid4().hex[:16]
        cache.set(self.key, (token, due), self.lifetime())
        return token


PAGES = Token("pages:version", lifetime=lambda: None)
FEED = Token("feed:version", lifetime=lambda: None if _shared_cache() else poll_interval())


def feed_answer_lifetime():
    """How long an answer of updates.json is kept under its token."""
    return FEED.lifetime() or page_cache_seconds()


def _goes_out_later(instance):
    moment = getattr(instance, "goes_out_at", None)
    if moment is not None and moment > now():
        return moment.timestamp()
    return None


def pages_changed(instance=None, **kwargs):
    """Signal receiver: cached pages are stale now, and again once the change is committed,
    so that a reader who came between the save and the commit cannot keep the old page."""
    sooner = _goes_out_later(instance)
    PAGES.changed(sooner)
    transaction.on_commit(lambda: PAGES.changed(sooner))


def feed_changed(instance=None, **kwargs):
    """Signal receiver: open feed pages must ask again once the change is committed."""
    sooner = _goes_out_later(instance)
    transaction.on_commit(lambda: FEED.changed(sooner))


def everything_changed():
    """For bulk writes that send no signals, such as imports."""
    PAGES.changed()
    FEED.changed()


def connect():
    """Wire every model readers can see to the tokens it makes stale."""
    from articles.models import (
        Article,
        ArticleAuthor,
        Author,
        Correction,
        FeaturedArticle,
        Section,
        Tag,
    )
    from feed.models import FeedItem

    for model in (
        Article,
        ArticleAuthor,
        Author,
        Section,
        Tag,
        FeedItem,
        Correction,
        FeaturedArticle,
    ):
        for signal in (post_save, post_delete):
            signal.connect(pages_changed, sender=model, dispatch_uid=f"pages-{model.__name__}")
    for through in (Article.tags.through, Article.related_articles.through):
        m2m_changed.connect(pages_changed, sender=through, dispatch_uid=f"pages-{through}")
    for signal in (post_save, post_delete):
        signal.connect(feed_changed, sender=FeedItem, dispatch_uid="feed-version")


# The page cache.


def is_cacheable(request):
    """Anonymous GET/HEAD requests only: editors must always see the live page. Nothing is
    cached with the dummy cache backend, so its tokens are not even read."""
    if request.method not in ("GET", "HEAD") or isinstance(caches["default"], DummyCache):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return not request.user.is_authenticated
    return True


def _key(request):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"pages:{PAGES.current()}:{path}"


def conditional(request, entry):
    """Answer with the stored page, or 304 when the browser's copy is still good."""
    not_modified = get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["last_modified"]
    )
    if not_modified is not None:
        return not_modified
    response = HttpResponse(entry["content"], content_type=entry["content_type"])
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["last_modified"])
    return response


class CachedPageMixin:
    """Serve anonymous readers from the page cache, with ETag, Last-Modified and 304s."""

    def dispatch(self, request, *args, **kwargs):
        if not is_cacheable(request):
            return super().dispatch(request, *args, **kwargs)
        key = _key(request)
        entry = cache.get(key)
        if entry is None:
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code != 200 or response.streaming:
                return response
            if hasattr(response, "render"):
                response.render()
            entry = {
                "content": response.content,
                "content_type": response["Content-Type"],
                "etag": f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"',
                "last_modified": int(now().timestamp()),
                "object_id": getattr(getattr(self, "object", None), "pk", None),
            }
            cache.set(key, entry, page_cache_seconds())
        self.page_served(request, entry)
        response = conditional(request, entry)
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        return response

    def page_served(self, request, entry):
        """Hook for work that must happen on every read, cached or not."""
