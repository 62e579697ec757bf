"""The sitemap of every public page, and the Google News sitemap of the last 48 hours.

Both are served by Django's sitemap views; their addresses come from NEWSROOM_SITE_URL.
/sitemap.xml is an index of pages of at most PAGE_SIZE addresses each. A page holds the
rows of one range of ids, so that neither the index nor a page counts rows or skips any:
each costs the same with a thousand articles as with millions.
"""

from datetime import timedelta
from types import SimpleNamespace

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, Max, OuterRef
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from articles import listings
from articles.models import Article, Author, Section, Tag
from feed.models import FeedItem
from newsroom import seo

NEWS_HOURS = 48
NEWS_LIMIT = 1000
PAGE_SIZE = 1000  # ids a page: the protocol allows 50,000 addresses, fewer cost less to make
DATED_BY = 20  # a section, author or tag is dated by its newest articles, its page's first


class IdRanges:
    """A paginator for a sitemap: page n holds the rows whose id is in the n-th range of
    `per_page`; the number of pages comes from the table's highest id, read from the end of
    the primary key (so the last pages may hold fewer rows, or none)."""

    def __init__(self, items, per_page):
        self.items = items
        self.per_page = per_page

    @cached_property
    def num_pages(self):
        rows = self.items.model._default_manager
        highest = rows.order_by().aggregate(highest=Max("pk"))["highest"] or 0
        return highest // self.per_page + 1

    def page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer") from error
        if not 1 <= number <= self.num_pages:
            raise EmptyPage("That page contains no results")
        low = (number - 1) * self.per_page
        rows = self.items.filter(pk__gte=low, pk__lt=low + self.per_page).order_by("pk")
        return SimpleNamespace(object_list=rows, number=number)


class SiteSitemap(Sitemap):
    """A sitemap whose addresses are on NEWSROOM_SITE_URL, whatever Host was asked."""

    def get_latest_lastmod(self):
        # The index would read every row for it; search engines read each page's own dates.
        return None

    def get_protocol(self, protocol=None):
        return seo.site_parts()[0]

    def get_domain(self, site=None):
        return seo.site_parts()[1]


class RangedSitemap(SiteSitemap):
    """A sitemap of database rows, paged by ranges of ids (IdRanges)."""

    limit = PAGE_SIZE

    @property
    def paginator(self):
        return IdRanges(self.items(), self.limit)


class ArticleSitemap(RangedSitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "modified_at", "published_at")

    def lastmod(self, item):
        return item.date_modified


class SubjectSitemap(RangedSitemap):
    changefreq = "daily"
    priority = 0.5

    def __init__(self, model, listing):
        self.model = model
        self.listing = listing  # where its articles are listed (articles/listings.py)

    def items(self):
        """Those with an article readers may see, each with the newest change readers were
        given of the articles on the first page of its own (`date_modified`), in one query;
        each row reads only its own index entries, however many articles a desk has signed."""
        now = timezone.now()
        return (
            self.model.objects.filter(Exists(listings.newest(self.listing, OuterRef("pk"), now)))
            .annotate(
                date_modified=listings.newest_change(self.listing, OuterRef("pk"), DATED_BY, now)
            )
            .only("slug")
        )

    def lastmod(self, item):
        return item.date_modified


class StaticSitemap(SiteSitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return [
            "articles:home",
            "feed:list",
            "articles:archive",
            "articles:sections",
            "articles:authors",
            "articles:tags",
        ]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        """When the page last changed as readers see it: its newest article or feed item."""
        newest = self.newest_feed_item if item == "feed:list" else self.newest_article
        return newest.date_modified if newest else None

    @cached_property
    def newest_article(self):
        return Article.objects.published().order_by("-published_at", "-id").first()

    @cached_property
    def newest_feed_item(self):
        return FeedItem.objects.published().order_by("-published_at", "-id").first()


class NewsSitemap(SiteSitemap):
    """Articles of the last 48 hours, at most 1,000, for Google News."""

    limit = NEWS_LIMIT

    def items(self):
        since = timezone.now() - timedelta(hours=NEWS_HOURS)
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .order_by("-published_at", "-id")
            .only("headline", "slug", "published_at")[:NEWS_LIMIT]
        )


SITEMAPS = {
    "pages": StaticSitemap,
    "articles": ArticleSitemap,
    "sections": SubjectSitemap(Section, listings.SECTION),
    "authors": SubjectSitemap(Author, listings.AUTHOR),
    "tags": SubjectSitemap(Tag, listings.TAG),
}

NEWS_SITEMAPS = {"news": NewsSitemap}


def index(request):
    """/sitemap.xml: the address of every page of every sitemap, on NEWSROOM_SITE_URL."""
    locations = []
    for section, site in SITEMAPS.items():
        site = site() if callable(site) else site
        address = seo.absolute(reverse("sitemap_page", kwargs={"section": section}))
        pages = site.paginator.num_pages
        locations += [address] + [f"{address}?p={number}" for number in range(2, pages + 1)]
    response = TemplateResponse(
        request,
        "sitemap_index.xml",
        {"sitemaps": [SitemapIndexItem(location) for location in locations]},
        content_type="application/xml",
    )
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
