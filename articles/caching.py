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
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

VERSION_KEY = "pages:version"


def page_cache_seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", 300)


def current_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_version(**kwargs):
    """Make every cached page stale; used as a signal receiver."""
    cache.set(VERSION_KEY, time.time_ns(), None)


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
