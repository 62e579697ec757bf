"""The sitemap of every public page, and the Google News sitemap of the last 48 hours.

Both are served by Django's sitemap view; their addresses come from NEWSROOM_SITE_URL.
"""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Author, Section, Tag
from newsroom import seo

NEWS_HOURS = 48
NEWS_LIMIT = 1000


class SiteSitemap(Sitemap):
    """A sitemap whose addresses are on NEWSROOM_SITE_URL, whatever Host was asked."""

    def get_protocol(self, protocol=None):
        return seo.site_parts()[0]

    def get_domain(self, site=None):
        return seo.site_parts()[1]


class ArticleSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .order_by("-published_at", "-id")
            .only("slug", "modified_at", "published_at")
        )

    def lastmod(self, item):
        return item.date_modified


class SubjectSitemap(SiteSitemap):
    changefreq = "daily"
    priority = 0.5

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.with_published_articles().order_by("pk")


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
    "sections": SubjectSitemap(Section),
    "authors": SubjectSitemap(Author),
    "tags": SubjectSitemap(Tag),
}

NEWS_SITEMAPS = {"news": NewsSitemap}
