"""Site-wide request handling that belongs to no one app."""

import functools

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotAllowed

from newsroom import freshness

READER_METHODS = ("GET", "HEAD", "OPTIONS")
# Views that take forms: the admin (with sign-in) and the staff's article preview; and the
# Content API, which answers other methods itself, in JSON.
WRITABLE_NAMESPACES = {"admin", "api"}
WRITABLE_VIEWS = {"articles:preview", "articles:shared_preview"}


class ReadOnlyPublicSite:
    """Readers' pages answer GET, HEAD and OPTIONS; any other method is 405 with Allow.

    Decided after URL resolution, so an unknown address is still 404.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if WRITABLE_NAMESPACES.intersection(match.namespaces) or match.view_name in WRITABLE_VIEWS:
            return None
        if request.method == "OPTIONS":
            response = HttpResponse()
            response["Allow"] = ", ".join(READER_METHODS)
            return response
        if request.method not in READER_METHODS:
            return HttpResponseNotAllowed(READER_METHODS)
        return None


class CachedPages:
    """The page cache (newsroom/freshness.py), first of the middleware: a reader with no
    session cookie is answered from the cache before sessions, sign-in and the view; every
    page a view marks as cacheable is stored on its way out, with the headers the middleware
    below it added (security, CSP, the API's CORS). A poll of the live feed whose copy is
    current is answered 304 here too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.answer(request)
        freshness.private_for_signed_in(request, response)
        return response

    def answer(self, request):
        if not may_be_kept(request):
            return self.get_response(request)
        request.get_host()  # a Host not allowed is refused, as CommonMiddleware would
        page = freshness.page_address(request.path_info)
        if page == "feed:updates":
            from feed.views import poll_not_modified

            kept = freshness.caches_pages() and poll_not_modified(request)
            return kept or self.get_response(request)
        if page is None:
            return self.get_response(request)
        if not freshness.caches_pages() or freshness.page_cache_seconds() <= 0:
            # No copy is kept: the page is still sent as a kept one would be (page_headers).
            return self.made(request, tokens=None)
        # The tokens are read before the page is made, so that a change made meanwhile
        # leaves the stored copy stale.
        entry, tokens, changed_at = freshness.read_page(request)
        if settings.SESSION_COOKIE_NAME not in request.COOKIES and entry is not None:
            if (
                freshness.is_fresh(entry, tokens)
                or freshness.may_serve_stale(request, entry, tokens, changed_at)
            ) and freshness.may_send_kept_copy(page, request):
                return send_kept(request, entry).response()
        return self.made(request, tokens)

    def made(self, request, tokens):
        """The page made by the view; one it marks as cacheable gets the caching headers of
        pages, compressed and answered 304 as a kept copy is, and is kept under `tokens`."""
        response = self.get_response(request)
        if not getattr(response, "cacheable_page", False) or response.cookies:
            return response
        freshness.page_headers(request, response)
        return freshness.answer(request, freshness.store_page(request, response, tokens))


def may_be_kept(request):
    """Whether the answer to `request` may come from the page cache: a GET or HEAD, over
    HTTPS if the site asks for it (else SecurityMiddleware sends it there)."""
    if request.method not in ("GET", "HEAD"):
        return False
    return not settings.SECURE_SSL_REDIRECT or request.is_secure()


def send_kept(request, entry, may_write=True):
    """The kept page `entry` (a freshness.Answer), counted as a read of its article if it is
    one (`may_write`: as popularity.record_read())."""
    if entry["read_of"]:
        from articles import popularity

        popularity.record_read(request, entry["read_of"], may_write)
    return freshness.answer_parts(request, entry)


def kept_answer(request):
    """What CachedPages would answer from this process's copies alone (newsroom/copies.py),
    with no call to Redis, no query and no view: a fresh kept page for a reader with no session
    cookie, or a poll's 304; else None, and the request goes to Django. The servers' entry
    points (newsroom/wsgi.py, newsroom/asgi.py) ask it before Django's handling starts."""
    if not may_be_kept(request):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    try:
        request.get_host()
    except DisallowedHost:
        return None  # Django answers it 400
    page = freshness.page_address(request.path_info)
    if page == "feed:updates":
        from feed.views import poll_not_modified

        return poll_not_modified(request, kept_only=True)
    # A view that counts requests against a budget (the Content API) is asked by CachedPages.
    if page is None or getattr(page, "admits", None) or freshness.page_cache_seconds() <= 0:
        return None
    entry, tokens, _ = freshness.read_page(request, kept_only=True)
    if entry is None or not freshness.is_fresh(entry, tokens):
        return None
    if entry["read_of"]:
        from articles import popularity

        if popularity.flush_due():
            return None  # the batch of reads is written to the database from the view
    # Never a write here, even if another thread's read made the batch due meanwhile.
    return send_kept(request, entry, may_write=False)


# What a view may ask of django-csp for its own answers (its decorators), report-only or not.
OWN_POLICY = tuple(
    f"_csp_{kind}{ro}" for kind in ("config", "update", "replace") for ro in ("", "_ro")
)
POLICIES = (
    (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
    (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro", True),
)


class ContentSecurityPolicy(CSPMiddleware):
    """django-csp's middleware, but the policy of an answer that asks for none of its own (no
    decorator, no nonce: every readers' page) is built once a process from the settings, not
    for every answer; building it cost a twentieth of a page made with its fragments kept.
    Any other answer is django-csp's alone."""

    def process_response(self, request, response):
        own = any(getattr(response, name, None) for name in OWN_POLICY)
        if own or getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response  # Django's debug pages, as django-csp leaves them
        for header, setting, exempt, report_only in POLICIES:
            policy = settings_policy(report_only)
            excluded = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if (
                policy
                and header not in response
                and not getattr(response, exempt, False)
                and not request.path_info.startswith(tuple(excluded))
            ):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@functools.lru_cache(maxsize=2)
def settings_policy(report_only):
    """The policy (or report-only policy) the settings alone make, as django-csp builds it."""
    return build_policy(report_only=report_only)


@receiver(setting_changed)
def policy_settings_changed(setting, **kwargs):
    if setting in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        settings_policy.cache_clear()
