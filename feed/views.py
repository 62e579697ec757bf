import hashlib
import zlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponseNotModified,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.html import strip_tags
from django.utils.http import http_date, parse_etags
from django.views import View
from django.views.generic import DetailView, TemplateView

from articles.models import Section
from feed import changes, drawing
from feed.filters import CursorField, FeedUpdatesFilter
from feed.models import FeedItem, FeedRemoval, newest_first
from newsroom import freshness, keyset, seo, times
from newsroom.paths import path_of
from newsroom.text import shortened

PAGE_SIZE = 30
PINNED_LIMIT = 5
JSON_LD_UPDATES = 10
MAX_REMOVED = 500


def plain_summary(item, length=300):
    return shortened(strip_tags(item.summary_html()).strip(), length)


def feed_title(section=None):
    return f"{section.name} | News Feed" if section else "News Feed"


def feed_description(section=None):
    about = f" on {section.name}" if section else ""
    return f"Short updates{about} from {settings.NEWSROOM['SITE_NAME']}, newest first."


def blog_posting(item, **more):
    """schema.org BlogPosting of one feed item: by the newsroom, with its own address."""
    return seo.posting(
        "BlogPosting",
        url=seo.absolute(item.get_absolute_url()),
        headline=item.headline,
        published=item.published_at,
        modified=item.date_modified,
        images=[seo.default_share_image()],
        articleBody=plain_summary(item),
        **({"articleSection": item.section.name} if item.section else {}),
        **more,
    )


def live_blog_posting(items, canonical_url, section=None):
    """schema.org LiveBlogPosting for a feed page, with its latest updates.

    The feed never ends, so the coverage it describes is a window: from the oldest of the
    updates it lists (the latest, pinned or not) to the end of the newsroom's day.
    """
    updates = sorted(items, key=lambda item: (item.published_at, item.pk), reverse=True)
    updates = updates[:JSON_LD_UPDATES]
    now = timezone.localtime()
    start_of_day = now.replace(hour=0, minute=0, second=0)
    start = min((item.published_at for item in updates), default=start_of_day)
    end_of_day = now.replace(hour=23, minute=59, second=59)
    site = settings.NEWSROOM["SITE_NAME"]
    about = section.name if section else "News Feed"
    data = seo.posting(
        "LiveBlogPosting",
        url=canonical_url,
        headline=f"{about}: live updates from {site}",
        published=start,
        modified=max((item.date_modified for item in updates), default=start),
        images=[seo.default_share_image()],
        description=feed_description(section),
        coverageStartTime=times.for_machines(start),
        coverageEndTime=times.for_machines(end_of_day),
        liveBlogUpdate=[blog_posting(item) for item in updates],
    )
    return seo.json_ld(data)


class FeedView(freshness.CachedPageMixin, TemplateView):
    """The feed, newest first, pinned items on top; older pages by keyset, never OFFSET."""

    template_name = "feed/feeditem_list.html"

    def get(self, request, *args, **kwargs):
        slug = kwargs.get("slug") or request.GET.get("section")
        if slug and not slug_re.fullmatch(slug):
            raise Http404("No such section.")
        self.section = get_object_or_404(Section, slug=slug) if slug else None
        try:
            self.cursor = CursorField(required=False).clean(request.GET.get("before", ""))
        except ValidationError as error:
            return HttpResponseBadRequest(
                f"The 'before' parameter {error.messages[0]}", content_type="text/plain"
            )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # One bound on the time, the cursor's when it is earlier, so that the index seeks
        # straight to an older page (SQLite uses one bound per column).
        until = min(self.cursor[0], timezone.now()) if self.cursor else None
        items = FeedItem.objects.published(until).latest()
        if self.section:
            items = items.filter(section=self.section)
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        freshness.uses_feed(self.request)
        position = changes.current()  # before the items are read: see feed/changes.py
        pinned = []
        if self.cursor is None:
            pinned = list(self.get_queryset().filter(pinned=True)[:PINNED_LIMIT])
        stream = self.get_queryset().filter(pinned=False)
        if self.cursor:
            stream = stream.before(*self.cursor)
        rows = list(stream[: PAGE_SIZE + 1])
        items = rows[:PAGE_SIZE]
        if self.section:
            page_url = path_of("feed_section", slug=self.section.slug)
        else:
            page_url = path_of("feed:list")
        # Not the request's path, as the context processor has it: /feed/?section=… is the
        # section's own feed page.
        canonical_url = seo.absolute(page_url)
        more_url = None
        if len(rows) > PAGE_SIZE:
            more_url = f"{page_url}?{urlencode({'before': keyset.cursor_for(items[-1])})}"
        updates_query = {"after": str(position)}
        if self.section:
            updates_query["section"] = self.section.slug
        context.update(
            section=self.section,
            pinned=pinned,
            items=items,
            more_url=more_url,
            is_first_page=self.cursor is None,
            canonical_url=canonical_url,
            updates_url=f"{path_of('feed:updates')}?{urlencode(updates_query)}",
            poll_interval=freshness.poll_interval(),
            json_ld=live_blog_posting(pinned + items, canonical_url, self.section),
            page_title=feed_title(self.section),
            page_description=feed_description(self.section),
        )
        return context


class FeedItemView(freshness.CachedPageMixin, DetailView):
    context_object_name = "item"

    def get_queryset(self):
        return FeedItem.objects.published().drawn()

    def get_context_data(self, **kwargs):
        freshness.uses_feed(self.request)
        return super().get_context_data(
            page_title=f"{self.object.headline} | News Feed",
            page_description=plain_summary(self.object, 160),
            og_type="article",
            json_ld=seo.json_ld(blog_posting(self.object)),
            **kwargs,
        )


def item_json(item, request, variant):
    return {
        "id": item.pk,
        "html": drawing.item_html(item, variant),
        "headline": item.headline,
        "summary_html": item.summary_html(),
        "published_at": times.for_scripts(item.published_at),
        "updated_at": times.for_scripts(item.updated_at),
        "url": seo.absolute(item.get_absolute_url()),
        "article_url": seo.absolute(item.link) if item.link else None,
        "section": item.section.slug if item.section else None,
        "pinned": item.pinned,
    }


def poll_version(request, kept_only=False):
    """The ETag of an answer of updates.json, the feed's version and the question, and its
    Last-Modified, when that version was made (epoch seconds): both change together.
    `kept_only`: from this process's copy of the version alone, or None."""
    version = freshness.FEED.current_and_made(kept_only)
    if version is None:
        return None, None
    token, made = version
    query = request.META.get("QUERY_STRING", "")
    return f'"{token}-{zlib.crc32(query.encode()):08x}"', int(made)


def poll_headers(response, etag, made, interval):
    """The headers of every answer of updates.json but a bad question's, 304s included."""
    response["ETag"] = etag
    response["Last-Modified"] = http_date(made)
    patch_cache_control(response, public=True, max_age=settings.FEED_CACHE_MAX_AGE)
    patch_vary_headers(response, ["Accept-Encoding"])
    response["X-Poll-Interval"] = str(interval)


def not_modified(etag, made, interval):
    response = HttpResponseNotModified()
    poll_headers(response, etag, made, interval)
    return response


def poll_not_modified(request, kept_only=False):
    """The 304 of a poll whose copy is current, or None: sent by newsroom's first middleware,
    before the rest, as the poll of every open page comes every few seconds (`kept_only`: as
    poll_version())."""
    if request.method != "GET" or "If-None-Match" not in request.headers:
        return None
    etag, made = poll_version(request, kept_only)
    if etag is not None and etag in parse_etags(request.headers["If-None-Match"]):
        return not_modified(etag, made, freshness.poll_interval())
    return None


class UpdatesView(View):
    """What changed in the feed, for open pages polling with If-None-Match.

    The ETag joins the feed's version token to the query, so while nothing changes the
    answer is 304 after one cache read and no SQL. Last-Modified is when that token was made,
    so that If-Modified-Since is answered as If-None-Match is. Answers are sent as the page
    cache sends pages: Brotli or gzip, as the client accepts, from a compressed kept copy.

    Each answer's "cursor" is where its reader then stands (feed/changes.py): asked again
    with after=<cursor>, the feed sends every item written or gone out since, however late
    its transaction commits. An answer with nothing new hands back the cursor it was given,
    so that the next poll asks the same question and gets its 304. A page reached through
    "next" has the cursor null: its first page's holds.
    """

    def get(self, request):
        etag, made = poll_version(request)
        interval = freshness.poll_interval()
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            return not_modified(etag, made, interval)
        # The same question under the same token has the same answer: it is kept, compressed
        # both ways, so that a crowd of new readers costs cache reads, not queries or CPU.
        question = request.META.get("QUERY_STRING", "")
        key = f"feed:kept:{etag}:{hashlib.sha256(question.encode()).hexdigest()}"
        entry = cache.get(key)
        if entry is None:
            response = self.answer(request, interval)
            if response.status_code != 200:
                response["X-Poll-Interval"] = str(interval)
                return response
            poll_headers(response, etag, made, interval)
            entry = freshness.kept_copy(response)
            cache.set(key, entry, freshness.feed_answer_lifetime())
        return freshness.answer(request, entry)

    def answer(self, request, interval):
        filterset = FeedUpdatesFilter(request.GET, queryset=FeedItem.objects.published().latest())
        if not filterset.is_valid():
            return JsonResponse(
                {
                    "error": f"Bad parameter. {filterset.error_message()}",
                    "parameters": filterset.form.errors,
                    "poll_interval": interval,
                },
                status=400,
            )
        asked = filterset.form.cleaned_data
        position = None if asked.get("before") else changes.current()  # before the query
        limit = filterset.limit_value
        rows = newest_first(filterset.qs, limit + 1)
        items = rows[:limit]
        next_url = None
        if len(rows) > limit:
            params = request.GET.copy()
            params["before"] = keyset.cursor_for(items[-1])
            next_url = seo.absolute(f"{request.path}?{params.urlencode()}")
        removals = FeedRemoval.objects.none()
        if asked.get("after"):
            removals = FeedRemoval.objects.filter(asked["after"].unseen())
        elif asked.get("since"):
            removals = FeedRemoval.objects.filter(removed_at__gt=asked["since"])
        removed = list(removals.values_list("item_id", flat=True)[:MAX_REMOVED])
        if position and asked.get("after") and not items and not removed:
            position = asked["after"]
        return JsonResponse(
            {
                "items": [item_json(item, request, filterset.variant_value) for item in items],
                "removed": removed,
                "poll_interval": interval,
                "next": next_url,
                "cursor": str(position) if position else None,
            }
        )
