import hashlib
import zlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotModified,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import strip_tags
from django.utils.http import parse_etags
from django.utils.text import Truncator
from django.views import View
from django.views.generic import DetailView, TemplateView

from articles.models import Section
from feed.filters import CursorField, FeedUpdatesFilter, cursor_for
from feed.models import FeedItem, FeedRemoval, newest_first
from newsroom import freshness, seo

PAGE_SIZE = 30
PINNED_LIMIT = 5
JSON_LD_UPDATES = 10
MAX_REMOVED = 500
# How a feed item is drawn everywhere, the "html" of updates.json included.
ITEM_TEMPLATE = "feed/includes/feed_item.html"


def local_iso(moment):
    return timezone.localtime(moment).isoformat()


def plain_summary(item, length=300):
    return Truncator(strip_tags(item.summary_html()).strip()).chars(length)


def live_blog_posting(items, canonical_url):
    """schema.org LiveBlogPosting for the feed page, with its latest updates."""
    updates = [
        {
            "@type": "BlogPosting",
            "headline": item.headline,
            "articleBody": plain_summary(item),
            "datePublished": local_iso(item.published_at),
            "dateModified": local_iso(item.date_modified),
            "url": seo.absolute(item.get_absolute_url()),
        }
        for item in items[:JSON_LD_UPDATES]
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "headline": f"News Feed | {settings.NEWSROOM['SITE_NAME']}",
        "url": canonical_url,
        "publisher": {"@type": "Organization", "name": settings.NEWSROOM["SITE_NAME"]},
        "liveBlogUpdate": updates,
    }
    if items:
        data["coverageStartTime"] = local_iso(min(item.published_at for item in items))
        data["dateModified"] = local_iso(max(item.date_modified for item in items))
    return seo.json_ld(data)


class FeedView(TemplateView):
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
        items = FeedItem.objects.published().latest()
        if self.section:
            items = items.filter(section=self.section)
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        pinned = []
        if self.cursor is None:
            pinned = list(self.get_queryset().filter(pinned=True)[:PINNED_LIMIT])
        stream = self.get_queryset().filter(pinned=False)
        if self.cursor:
            stream = stream.before(*self.cursor)
        rows = list(stream[: PAGE_SIZE + 1])
        items = rows[:PAGE_SIZE]
        if self.section:
            page_url = reverse("feed_section", kwargs={"slug": self.section.slug})
        else:
            page_url = reverse("feed:list")
        canonical_url = seo.absolute(page_url)
        more_url = None
        if len(rows) > PAGE_SIZE:
            more_url = f"{page_url}?{urlencode({'before': cursor_for(items[-1])})}"
        updates_query = {"since": local_iso(timezone.now())}
        if self.section:
            updates_query["section"] = self.section.slug
        context.update(
            section=self.section,
            pinned=pinned,
            items=items,
            more_url=more_url,
            is_first_page=self.cursor is None,
            canonical_url=canonical_url,
            updates_url=f"{reverse('feed:updates')}?{urlencode(updates_query)}",
            poll_interval=freshness.poll_interval(),
            json_ld=live_blog_posting(pinned + items, canonical_url),
        )
        return context


class FeedItemView(DetailView):
    context_object_name = "item"

    def get_queryset(self):
        return FeedItem.objects.published().select_related("section", "article")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            description=plain_summary(self.object, 160),
            **kwargs,
        )


def item_json(item, request, variant):
    return {
        "id": item.pk,
        "html": render_to_string(ITEM_TEMPLATE, {"item": item, "variant": variant}),
        "headline": item.headline,
        "summary_html": item.summary_html(),
        "published_at": local_iso(item.published_at),
        "updated_at": local_iso(item.updated_at),
        "url": seo.absolute(item.get_absolute_url()),
        "article_url": seo.absolute(item.link) if item.link else None,
        "section": item.section.slug if item.section else None,
        "pinned": item.pinned,
    }


class UpdatesView(View):
    """What changed in the feed, for open pages polling with If-None-Match.

    The ETag joins the feed's version token to the query, so while nothing changes the
    answer is 304 after one cache read and no SQL.
    """

    def get(self, request):
        query = request.META.get("QUERY_STRING", "")
        etag = f'"{freshness.FEED.current()}-{zlib.crc32(query.encode()):08x}"'
        interval = freshness.poll_interval()
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            response = HttpResponseNotModified()
        else:
            response = self.cached_answer(request, interval, etag)
        if response.status_code in (200, 304):
            response["ETag"] = etag
            patch_cache_control(response, public=True, max_age=settings.FEED_CACHE_MAX_AGE)
        response["X-Poll-Interval"] = str(interval)
        return response

    def cached_answer(self, request, interval, etag):
        """The same question under the same token has the same answer: keep it, so that a
        crowd of new readers costs cache reads, not queries."""
        question = request.META.get("QUERY_STRING", "")
        key = f"feed:answer:{etag}:{hashlib.sha256(question.encode()).hexdigest()}"
        body = cache.get(key)
        if body is not None:
            return HttpResponse(body, content_type="application/json")
        response = self.answer(request, interval)
        if response.status_code == 200:
            cache.set(key, response.content, freshness.feed_answer_lifetime())
        return response

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
        limit = filterset.limit_value
        rows = newest_first(filterset.qs, limit + 1)
        items = rows[:limit]
        next_url = None
        if len(rows) > limit:
            params = request.GET.copy()
            params["before"] = cursor_for(items[-1])
            next_url = seo.absolute(f"{request.path}?{params.urlencode()}")
        removed = []
        since = filterset.form.cleaned_data.get("since")
        if since:
            removed = list(
                FeedRemoval.objects.filter(removed_at__gt=since).values_list("item_id", flat=True)[
                    :MAX_REMOVED
                ]
            )
        return JsonResponse(
            {
                "items": [item_json(item, request, filterset.variant_value) for item in items],
                "removed": removed,
                "poll_interval": interval,
                "next": next_url,
            }
        )
