"""The sitemap of every public page, and the Google News sitemap of the last 48 hours."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from articles import seo
from articles.models import Article, Author, Section, Tag

NEWS_HOURS = 48
NEWS_LIMIT = 1000


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .order_by("-published_at", "-id")
            .only("slug", "updated_at", "published_at")
        )

    def lastmod(self, item):
        return max(item.updated_at, item.published_at)


class SubjectSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.filter(articles__in=Article.objects.published()).distinct()


class StaticSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:home", "feed:list", "articles:archive"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": StaticSitemap,
    "articles": ArticleSitemap,
    "sections": SubjectSitemap(Section),
    "authors": SubjectSitemap(Author),
    "tags": SubjectSitemap(Tag),
}


def news_sitemap(request):
    since = timezone.now() - timedelta(hours=NEWS_HOURS)
    articles = (
        Article.objects.published()
        .filter(published_at__gte=since)
        .order_by("-published_at", "-id")
        .only("headline", "slug", "published_at")[:NEWS_LIMIT]
    )
    entries = [(seo.absolute(a.get_absolute_url()), a) for a in articles]
    return render(
        request,
        "articles/news_sitemap.xml",
        {"entries": entries, "publication": settings.NEWSROOM},
        content_type="application/xml; charset=utf-8",
    )
