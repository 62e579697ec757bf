"""RSS 2.0 and Atom feeds of published articles: all, per section, per author."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse

from articles import listings
from articles.models import Article, Author, Section
from newsroom.seo import AtomFeed, SiteFeed, absolute

FEED_SIZE = 30


class LatestArticlesFeed(SiteFeed):
    def title(self, obj=None):
        site = settings.NEWSROOM["SITE_NAME"]
        return f"{obj} | {site}" if obj else site

    def link(self, obj=None):
        return absolute(obj.get_absolute_url() if obj else reverse("articles:home"))

    def description(self, obj=None):
        return settings.NEWSROOM["SITE_TAGLINE"]

    def get_object(self, request, slug=None):
        return None

    def filter_articles(self, queryset, obj):
        return queryset

    def items(self, obj=None):
        queryset = Article.objects.published().for_listing()
        return self.filter_articles(queryset, obj)[:FEED_SIZE]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.excerpt

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.date_modified

    def item_authors(self, item):
        return [
            {"name": author.name, "url": absolute(author.get_absolute_url())}
            for author in item.ordered_authors
        ]

    def item_categories(self, item):
        return [item.section.name] if item.section else []


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = AtomFeed
    subtitle = LatestArticlesFeed.description


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug=None):
        return get_object_or_404(Section, slug=slug)

    def filter_articles(self, queryset, obj):
        return queryset.filter(section=obj)


class SectionAtomFeed(SectionFeed):
    feed_type = AtomFeed
    subtitle = LatestArticlesFeed.description


class AuthorFeed(LatestArticlesFeed):
    def get_object(self, request, slug=None):
        return get_object_or_404(Author, slug=slug)

    def filter_articles(self, queryset, obj):
        # From the author's bylines, newest first, as the author's page: a desk's thousands of
        # articles are never joined and sorted.
        newest = listings.newest(listings.AUTHOR, obj)[:FEED_SIZE]
        return queryset.filter(pk__in=newest)


class AuthorAtomFeed(AuthorFeed):
    feed_type = AtomFeed
    subtitle = LatestArticlesFeed.description
