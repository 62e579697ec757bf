"""The public page cache.

Rendered pages are kept in the Django cache under a key that includes a site-wide version
number. Any change to what readers see (an article, a byline, an author, a section, a tag,
a feed item) bumps the version, so every cached page goes stale at once and an edit shows on
the next request. Entries also expire on their own after PAGE_CACHE_SECONDS.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

VERSION_KEY = "pages:version"


def page_cache_seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", 300)


def _public_statuses():
    from articles.models import Article, Status
    from feed.models import FeedItem

    return {
        Article: [Status.PUBLISHED, Status.SCHEDULED],
        FeedItem: [FeedItem.Status.PUBLISHED],
    }


def next_due():
    """When the next scheduled article or feed item goes out (epoch seconds), or None.

    Pages cached before that moment must not outlive it: a scheduled story appears by the
    clock, with no cron job and no edit to bump the version.
    """
    now = timezone.now()
    times = [
        model.objects.filter(status__in=statuses, published_at__gt=now).aggregate(
            due=Min("published_at")
        )["due"]
        for model, statuses in _public_statuses().items()
    ]
    times = [moment.timestamp() for moment in times if moment is not None]
    return min(times) if times else None


def _goes_out_later(instance):
    """The publication time of a saved article or feed item when it lies ahead, else None."""
    statuses = _public_statuses().get(type(instance))
    published_at = getattr(instance, "published_at", None)
    if statuses and instance.status in statuses and published_at and published_at > timezone.now():
        return published_at.timestamp()
    return None


def current_version():
    """The site-wide page version; a new one once a scheduled publication time has passed."""
    state = cache.get(VERSION_KEY)
    if state is None:
        cache.add(VERSION_KEY, {"version": time.time_ns(), "due": next_due()}, None)
        state = cache.get(VERSION_KEY)
    elif state["due"] is not None and time.time() >= state["due"]:
        state = {"version": time.time_ns(), "due": next_due()}
        cache.set(VERSION_KEY, state, None)
    return state["version"]


def bump_version(instance=None, **kwargs):
    """Make every cached page stale; used as a signal receiver.

    The next scheduled time is kept up to date without a query: a save can only bring it
    nearer. One that moves a schedule later leaves an early mark that costs a spare bump.
    """
    state = cache.get(VERSION_KEY)
    if state is None:
        due = next_due()
    else:
        later = _goes_out_later(instance) if instance is not None else None
        due = min(filter(None, (state["due"], later)), default=None)
    cache.set(VERSION_KEY, {"version": time.time_ns(), "due": due}, None)


def bump_on_change(instance=None, **kwargs):
    """Signal receiver: stale now, and again once the change is committed, so that a reader
    who came between the first save and the commit cannot keep the old page cached."""
    bump_version(instance)
    transaction.on_commit(lambda: bump_version(instance))


def is_cacheable(request):
    """Anonymous GET/HEAD requests only: editors must always see the live page."""
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return not request.user.is_authenticated
    return True


def _key(request):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"pages:{current_version()}:{path}"


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
                "last_modified": int(time.time()),
                "object_id": getattr(getattr(self, "object", None), "pk", None),
            }
            cache.set(key, entry, page_cache_seconds())
        self.page_served(request, entry)
        response = conditional(request, entry)
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
        return response

    def page_served(self, request, entry):
        """Hook for work that must happen on every read, cached or not."""
