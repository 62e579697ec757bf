"""When what readers see goes stale: the page cache and the live feed's version token.

Two tokens live in the cache. The page version is recorded by every cached page, so a new
one makes every cached page stale at once. The feed version is recorded by the pages that draw
feed items (home, articles), and is the ETag of open feed pages' polls, so while it stands
they are answered 304 after one cache read and no query.

The page version changes on any save or delete of articles and what they show, the feed
version on any of feed items and of articles and sections they link (all wired in
`connect()`): a new feed item re-renders the pages that show feed items, no other.
Both record the next moment a scheduled article or feed item comes due, so that a story goes out by
the clock with no cron job and no edit. There is one clock, `timezone.now()`, and one "next
due", taken from the same querysets that decide what readers see.

The tokens must live in a cache every server process shares (Redis). With a per-process
local-memory cache, a process that did not make a change never hears of it: there the feed
version lasts one poll interval, so polls catch up within one, and cached pages within
PAGE_CACHE_SECONDS.
"""

import contextlib
import contextvars
import functools
import gzip
import hashlib
import re
import uuid
from http.client import responses

import brotli
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, parse_http_date_safe
from django.utils.module_loading import import_string

from newsroom import copies


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


def caches_pages():
    """Whether anything is cached at all (not with Django's dummy cache backend)."""
    return not _backend_is(settings.CACHES["default"]["BACKEND"], DummyCache)


def _shared_cache():
    return not _backend_is(settings.CACHES["default"]["BACKEND"], LocMemCache)


@functools.lru_cache(maxsize=16)
def _backend_is(backend, kind):
    """Whether the cache backend named `backend` is a `kind`: asked by its setting, since the
    cache itself is looked up per thread, which costs as much as a fragment's key."""
    return issubclass(import_string(backend), kind)


class Token:
    """A value in the cache that changes when readers could see a change, or at `due`."""

    def __init__(self, key, lifetime):
        self.key = key
        self.lifetime = lifetime

    def current(self):
        """The token, read in one cache call; made afresh when missing or once due."""
        return self.current_and_made()[0]

    def current_and_made(self, kept_only=False):
        """The token and when it was made (epoch seconds), as current(). `kept_only`: from
        this process's copies alone (newsroom/copies.py), or None."""
        if kept_only:
            kept = copies.usable(subscribe=False)
            state = kept.token(self.key) if kept else None
            if self.valid(state) is None:
                return None
        else:
            state = copies.told_value(self.key)
        token = self.valid(state)
        if token is None:
            return self._renew(next_due())
        return token, state[2]

    @staticmethod
    def valid(state):
        """The token of a state read from the cache, or None when missing, due, or not the
        (token, due, made) this code writes."""
        if state is None or len(state) != 3:
            return None
        token, due, _ = state
        if due is None or now().timestamp() < due:
            return token
        return None

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
        self.renew(due)

    def renew(self, due):
        """A new token, kept with when it was made (for the page cache's grace: see below)."""
        self._renew(due)

    def _renew(self, due):
        token, made = uuid.uuid4().hex, now().timestamp()
        cache.set(self.key, (token, due, made), self.lifetime())
        copies.written(self.key)
        return token, made


PAGES = Token("pages:version", lifetime=lambda: None)
FEED = Token("feed:version", lifetime=lambda: None if _shared_cache() else poll_interval())


def feed_answer_lifetime():
    """How long an answer of updates.json is kept under its token."""
    return FEED.lifetime() or page_cache_seconds()


def _goes_out_later(instance):
    """When `instance` goes out, in epoch seconds, if it is one of upcoming() (readers will see
    it at a time still ahead); else None. (A byline carries its article's time, but its
    article's own save tells when that is.)"""
    moment = getattr(instance, "goes_out_at", None)
    if moment is None or getattr(instance, "is_public", True):
        return None
    return moment.timestamp()


# True within held(): writes in bulk, whose writer makes everything stale itself.
_held = contextvars.ContextVar("freshness_held", default=False)


@contextlib.contextmanager
def held():
    """Within the block, saves and deletes leave the tokens alone: for a writer in bulk (an
    import's batch) that calls everything_changed() once its writes are committed."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def pages_changed(instance=None, **kwargs):
    """Signal receiver: cached pages are stale now, and again once the change is committed,
    so that a reader who came between the save and the commit cannot keep the old page."""
    if _held.get():
        return
    sooner = _goes_out_later(instance)
    PAGES.changed(sooner)
    transaction.on_commit(lambda: PAGES.changed(sooner))


def feed_changed(instance=None, **kwargs):
    """Signal receiver: open feed pages must ask again, and pages that draw feed items are
    stale, now and again once the change is committed (as pages_changed)."""
    if _held.get():
        return
    sooner = _goes_out_later(instance)
    FEED.changed(sooner)
    transaction.on_commit(lambda: FEED.changed(sooner))


def feed_links_changed(sender, instance, raw=False, **kwargs):
    """Signal receiver for articles and sections: feed items show their section's name, and
    link their article only while it is public, so a change to either changes the feed. An
    article still to go out counts too, so that the feed's version changes when it does."""
    if raw or _held.get():
        return
    if _goes_out_later(instance) is not None or instance.feed_items.exists():
        feed_changed(instance)


def everything_changed():
    """For bulk writes that send no signals or hold them, such as imports
    (newsroom/capture/apply.py): both tokens change, with the next due time read afresh, since
    the writes may have put something out at a time still ahead."""
    due = next_due()
    PAGES.renew(due)
    FEED.renew(due)


def connect():
    """What makes which token stale, in one place: every save or delete readers could see.

    The page version: articles and all that their pages draw, narrations included. The feed
    version: feed items, and the articles and sections they link. Writes in bulk send no
    signals; they call everything_changed() themselves.
    """
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
    from narration.models import Narration

    for model in (
        Article,
        ArticleAuthor,
        Author,
        Section,
        Tag,
        Correction,
        FeaturedArticle,
        Narration,
    ):
        for signal in (post_save, post_delete):
            signal.connect(pages_changed, sender=model, dispatch_uid=f"pages-{model.__name__}")
    for through in (Article.tags.through, Article.related_articles.through):
        m2m_changed.connect(pages_changed, sender=through, dispatch_uid=f"pages-{through}")
    for signal in (post_save, post_delete):
        signal.connect(feed_changed, sender=FeedItem, dispatch_uid="feed-version")
    # Before a delete, while the article's or section's items can still be found.
    for model in (Article, Section):
        for signal in (post_save, pre_delete):
            uid = f"feed-links-{model.__name__}"
            signal.connect(feed_links_changed, sender=model, dispatch_uid=uid)


# Fragments: what a page draws that readers see the same on every page that draws it, kept
# under the tokens it depends on, so that a change shows at once. Asked whether or not the page
# cache keeps pages (PAGE_CACHE_SECONDS=0 keeps none, but every page still draws the section
# menu), they spare a page made again after a new feed item the article's body and queries,
# and every page the menu and the feed's boxes. Kept in Redis and in each process's copies.

FRAGMENT_SECONDS = 5 * 60
TOKENS = {"pages": PAGES, "feed": FEED}


def fragment(request, name, make, *, depends=("pages",), vary=()):
    """What make() returns for the page `request` asks for, kept under the current `depends`
    tokens and `vary` (strings or numbers that tell one such fragment from another); made anew
    once a token changes. Only for pages the page cache may keep (never a preview, whose
    article is not what readers see); signed-in staff get it made for them, as they get pages.

    The tokens are read before make() runs, so what it reads is never older than its key.
    make() returning None (nothing to draw, a page not found) is not kept."""
    if not caches_pages() or request is None or not is_cacheable(request):
        return make()
    if page_address(request.path_info) in (None, "feed:updates"):
        return make()
    parts = [name, *map(str, vary), *(TOKENS[token].current() for token in depends)]
    key = "pages:fragment:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()
    kept = copies.usable()
    value = kept.entry(key) if kept else None
    if value is None:
        value = cache.get(key)
        if value is None:
            value = make()
            if value is None:
                return None
            cache.set(key, value, FRAGMENT_SECONDS)
        if kept:
            kept.keep_entry(key, value, FRAGMENT_SECONDS)
    return value


# The page cache.
#
# CachedPages (newsroom/middleware.py), first of the middleware, answers a reader whose request
# carries no session cookie from the cache before sessions, sign-in and the view are reached:
# the two tokens and the page in one cache round trip (get_many). A page is stored gzipped with
# every header the answer had, so that a cached answer is the fresh one, byte for byte.
#
# A page records the tokens it was made under: PAGES for all of them, FEED as well for pages
# that draw feed items (the feed's template tags say so), so that a new feed item leaves
# section lists and the like alone. When a token has changed, the first reader to come takes a
# lock and renders the page; for STALE_SECONDS after the change the others are sent the copy
# they would have had a moment before, never a crowd rendering the same page at once.

STALE_SECONDS = 2
LOCK_SECONDS = 10


def is_cacheable(request):
    """Anonymous GET/HEAD requests only: editors must always see the live page. Their answers
    get the caching headers of pages (page_headers()) whether or not the page cache keeps a
    copy (it keeps none with the dummy cache backend, or PAGE_CACHE_SECONDS=0)."""
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return not request.user.is_authenticated
    return True


def page_key(request):
    """The cache key of the page `request` asks for: its address, and the request header its
    view's answers differ by, if any (the Content API's JSON and browsable HTML, by Accept)."""
    header = getattr(page_address(request.path_info), "varies_by", None)
    variant = request.headers.get(header, "") if header else ""
    address = f"{variant}\n{request.get_full_path()}"
    return "pages:page:" + hashlib.sha256(address.encode()).hexdigest()


def read_page(request, kept_only=False):
    """(the stored page or None, the tokens now, when they last changed) in one cache call.
    `kept_only`: from this process's copies alone (newsroom/copies.py), or (None, None, None).

    Asked only for the addresses of cached pages (page_address())."""
    key = page_key(request)
    kept = copies.usable(subscribe=not kept_only)
    found = kept.read(PAGES.key, FEED.key, page=key) if kept else None
    if found is None and kept_only:
        return None, None, None
    if found is None:
        found = cache.get_many([PAGES.key, FEED.key, key])
        if kept:
            kept.keep(found, page=key, seconds=page_cache_seconds())
    tokens, made = {}, []
    for name, token in (("pages", PAGES), ("feed", FEED)):
        state = found.get(token.key)
        tokens[name] = token.valid(state)
        if tokens[name] is None:
            tokens[name], made_at = token.current_and_made()
        else:
            made_at = state[2]
        made.append(made_at)
    return found.get(key), tokens, max(made)


@functools.lru_cache(maxsize=4096)
def page_address(path):
    """What answers `path`: the view (a CachedPageMixin class or a cached_page function) when
    its pages are kept, the URL name of the live feed's polls ("feed:updates"), or None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name == "feed:updates":
        return match.view_name
    if getattr(match.func, "cached_page", False):
        return match.func
    view_class = getattr(match.func, "view_class", object)
    return view_class if issubclass(view_class, CachedPageMixin) else None


def may_send_kept_copy(view, request):
    """Whether the kept copy of `view`'s page may go to `request`: a view may first count the
    request against the client's budget (the Content API), and say no."""
    admits = getattr(view, "admits", None)
    return admits is None or admits(request)


def is_fresh(entry, tokens):
    return all(tokens[name] == value for name, value in entry["tokens"].items())


def may_serve_stale(request, entry, tokens, changed_at):
    """Whether to send the stale `entry` while another request renders the page anew."""
    if now().timestamp() - changed_at > STALE_SECONDS:
        return False
    return not cache.add(lock_key(request, tokens), 1, LOCK_SECONDS)


def lock_key(request, tokens):
    """Held by the one request that renders the page anew under `tokens`."""
    return f"{page_key(request)}:lock:{tokens['pages']}:{tokens['feed']}"


def uses_feed(request):
    """Called by whatever draws feed items on a page: the page is stale with each new item."""
    if request is not None:
        request.page_uses_feed = True


# (kept, sent once): a kept copy is compressed once for every reader who gets it, a page made
# for one reader is compressed while that reader waits (Brotli's quality 5 takes about six
# times as long as its quality 1, for a sixth less).
COMPRESSORS = {
    "gzip": (
        lambda body: gzip.compress(body, compresslevel=6, mtime=0),
        lambda body: gzip.compress(body, compresslevel=1, mtime=0),
    ),
    "br": (
        lambda body: brotli.compress(body, quality=5),
        lambda body: brotli.compress(body, quality=1),
    ),
}


def kept_copy(response, encodings=tuple(COMPRESSORS), once=False):
    """The answer compressed (Brotli and gzip, or only `encodings`; quickly if it is sent
    `once`), with its headers: what answer() sends from. It needs gzip for a client that
    accepts neither."""
    body = response.content
    return {
        **{encoding: COMPRESSORS[encoding][once](body) for encoding in encodings},
        "headers": [
            (name, value)
            for name, value in response.headers.items()
            if name.lower() not in ("content-length", "set-cookie", "date")
        ],
    }


def store_page(request, response, tokens):
    """The entry of a page for answer(). It is kept for the next readers only if `tokens`, the
    tokens it depends on, were read before the page was made (None: the cache keeps no pages)."""
    wanted = {}
    if tokens is not None:
        wanted["pages"] = tokens["pages"]
        if getattr(request, "page_uses_feed", False):
            wanted["feed"] = tokens["feed"]
    # A page no one else is sent is compressed only as this reader takes it.
    encodings = tuple(COMPRESSORS) if wanted else (accepted_encoding(request) or "gzip",)
    entry = {
        **kept_copy(response, encodings, once=not wanted),
        "tokens": wanted,
        "read_of": getattr(response, "read_of", None),
    }
    if wanted:
        cache.set(page_key(request), entry, page_cache_seconds())
        kept = copies.of()
        if kept:
            kept.keep_entry(page_key(request), entry, page_cache_seconds())
    return entry


# The live feed's cursor in a page (`after=` in data-updates-url) names the state of the
# database when the page was made, so it differs between two renders of the same content; the
# ETag leaves it out. A browser revalidating keeps its copy and polls from that older cursor,
# which only sends it more of what changed since.
# Sought as the literal it starts with, which the regex engine finds at the speed of a byte
# search, where a class of characters first would try at every "&" of the page.
FEED_CURSOR = re.compile(rb"after=[0-9.]+")


def _without_cursor(match):
    """The cursor's digits gone, if it is a query's parameter ("?", "&" or "&amp;" before)."""
    start, page = match.start(), match.string
    if page[start - 1 : start] in (b"?", b"&") or page.endswith(b"&amp;", 0, start):
        return b"after="
    return match.group()


def etag_of(body):
    """The ETag of a page: the same for the same content on every server and re-render."""
    content = FEED_CURSOR.sub(_without_cursor, body)
    return f'W/"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'


def page_headers(request, response):
    """The caching headers of a page that readers' browsers and CDNs may keep."""
    response["ETag"] = etag_of(response.content)
    response["Last-Modified"] = http_date(last_modified(request, response["ETag"]))
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    patch_vary_headers(response, ["Accept-Encoding"])


# How long the address of a page remembers its content's ETag and since when it has it: a day
# of revalidations by browsers and CDNs.
SEEN_SECONDS = 24 * 60 * 60


def last_modified(request, etag):
    """When the page at this address first had the content `etag` names (epoch seconds).

    Made again with the same content (its copy expired, an edit elsewhere renewed the tokens,
    another server made it) the page keeps its date, so that If-Modified-Since is answered as
    If-None-Match is; new content is dated when it was first made (a second after the content
    before it, if that was dated in the same second), so that one date never stands for two
    contents. It costs one cache read for each page made (none while this process's copy of
    it may be trusted, newsroom/copies.py), none for a kept copy. The tokens' time would move
    with every edit anywhere; the newest modification of what the page lists would not move
    when an article is taken down.

    Where nothing is remembered (the dummy cache, an emptied one), the page is dated when it
    was made: later than the truth, so a client is sent the page again, never kept from it.
    """
    key = page_key(request) + ":seen"
    seen = copies.told_value(key)
    if seen is not None and seen[0] == etag:
        return seen[1]
    moment = int(now().timestamp())
    if seen is not None:
        moment = max(moment, seen[1] + 1)
    cache.set(key, (etag, moment), SEEN_SECONDS)
    copies.written(key)
    return moment


def accepted_encoding(request):
    """ "br", "gzip" or None: the kept copy to send, by what the client accepts."""
    return _encoding_for(request.META.get("HTTP_ACCEPT_ENCODING", ""))


@functools.lru_cache(maxsize=64)  # browsers send a handful of different headers
def _encoding_for(accepted):
    for encoding in ("br", "gzip"):
        if re.search(rf"\b{encoding}\b(?!\s*;\s*q=0(\.0*)?\s*(,|$))", accepted):
            return encoding
    return None


# The request headers that may make get_conditional_response() answer 304 or 412.
CONDITIONS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)


class Answer:
    """An answer from a kept copy as a server sends it: status, headers, body. The servers'
    entry points send it as it is; the middleware makes it an HttpResponse (response()). Its
    headers were checked when the page was stored, so they are not checked again on every
    answer, which would cost more than the rest of it."""

    __slots__ = ("status_code", "headers", "content")

    def __init__(self, status_code, headers, content):
        self.status_code, self.headers, self.content = status_code, headers, content

    @property
    def reason_phrase(self):
        return responses.get(self.status_code, "Unknown Status Code")

    def items(self):
        return self.headers

    def response(self):
        response = HttpResponse(self.content, status=self.status_code)
        del response["Content-Type"]  # a 304 has none; a page has its own among the headers
        for name, value in self.headers:
            response[name] = value
        return response


def answer(request, entry):
    """The stored page as the reader can take it: Brotli or gzip if they accept it, or 304."""
    return answer_parts(request, entry).response()


def answer_parts(request, entry):
    """answer() as an Answer, for the entry points that send it without an HttpResponse."""
    if any(name in request.META for name in CONDITIONS):
        headers = dict(entry["headers"])
        last_modified = parse_http_date_safe(headers.get("Last-Modified", ""))
        decided = get_conditional_response(
            request, etag=headers.get("ETag"), last_modified=last_modified
        )
        if decided is not None:
            for name, value in entry["headers"]:
                if name.lower() not in ("content-type", "content-encoding"):
                    decided[name] = value
            return Answer(decided.status_code, list(decided.items()), decided.content)
    encoding = accepted_encoding(request)
    body = entry[encoding] if encoding else gzip.decompress(entry["gzip"])
    # In the order an HttpResponse would have them: its Content-Type first, replaced by the
    # page's, then Content-Encoding, the page's headers and the length.
    headers = {"content-type": ("Content-Type", f"text/html; charset={settings.DEFAULT_CHARSET}")}
    if encoding:
        headers["content-encoding"] = ("Content-Encoding", encoding)
    for name, value in entry["headers"]:
        headers[name.lower()] = (name, value)
    headers["content-length"] = ("Content-Length", str(len(body)))
    return Answer(200, list(headers.values()), body)


def private_for_signed_in(request, response):
    """A page made for someone signed in (a reader's page with the desk's links, a preview)
    is theirs alone: no shared cache or CDN may keep it."""
    # Only an answer that read the session can depend on who asked; reading it here for every
    # other answer (the favicon, static redirects) would cost a query each.
    session = getattr(request, "session", None)
    if session is None or not session.accessed or response.has_header("Cache-Control"):
        return
    if SESSION_KEY in session:
        patch_cache_control(response, private=True, max_age=0)


def mark_cacheable(request, response):
    """Mark `response` as a page the CachedPages middleware may keep for the next readers."""
    if not is_cacheable(request) or response.status_code != 200 or response.streaming:
        return response
    if hasattr(response, "render"):
        response.render()
    response.cacheable_page = True
    return response


class CachedPageMixin:
    """Mark a view's answers to anonymous readers as pages the page cache may keep; the
    CachedPages middleware keeps and serves them.

    `draws_feed`: the page shows feed items, so each new one makes it stale. `varies_by`: a
    request header the answers differ by besides the address. A view may also have a class
    method `admits(request)`, asked before a kept copy is sent (see may_send_kept_copy())."""

    draws_feed = False
    varies_by = None

    def dispatch(self, request, *args, **kwargs):
        if self.draws_feed:
            uses_feed(request)
        return mark_cacheable(request, super().dispatch(request, *args, **kwargs))


def cached_page(view=None, *, draws_feed=False):
    """CachedPageMixin for a function view, a syndication feed or a sitemap view: its answers
    are kept, sent gzipped and answered 304 like any page. `draws_feed`: it shows feed items,
    so each new one makes it stale."""

    def decorate(view):
        @functools.wraps(view)
        def marked(request, *args, **kwargs):
            if draws_feed:
                uses_feed(request)
            return mark_cacheable(request, view(request, *args, **kwargs))

        marked.cached_page = True
        return marked

    return decorate(view) if view is not None else decorate
