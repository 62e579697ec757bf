"""The feed's version: a token in the cache that changes whenever a reader could see a change.

Open pages poll /feed/updates.json with the ETag of their last answer. While the token is
the same, nothing a reader sees has changed, so the answer is 304 after one cache read and
no query. Saving or deleting an item replaces the token; so does the moment a scheduled
item comes due, which the token records when it is made.

The token must live in a cache every server process shares (Redis). A local-memory cache
is one per process, and a process that did not make the change would answer 304 for ever;
there the token lasts one poll interval, so such a process catches up within one.
"""

import time
import uuid

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.utils import timezone

VERSION_KEY = "feed:version"


def poll_interval():
    """Seconds clients wait between polls; raise FEED_POLL_INTERVAL to shed load."""
    return settings.FEED_POLL_INTERVAL


def bump_version():
    """Replace the version token; return the new one."""
    from feed.models import FeedItem

    next_due = (
        FeedItem.objects.filter(status=FeedItem.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    token = uuid.uuid4().hex[:16]
    due = next_due.timestamp() if next_due else None
    cache.set(VERSION_KEY, (token, due), timeout=version_lifetime())
    return token


def version_lifetime():
    """None (for ever) in a shared cache; one poll interval in a per-process one."""
    if isinstance(caches["default"], LocMemCache):
        return poll_interval()
    return None


def current_version():
    """The version token, read from the cache in one call; made afresh when missing or due."""
    value = cache.get(VERSION_KEY)
    if value is not None:
        token, due = value
        if due is None or time.time() < due:
            return token
    return bump_version()
