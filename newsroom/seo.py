"""Site addresses and search-engine and social metadata (OpenGraph, NewsArticle JSON-LD).

Every absolute address the site prints (canonicals, feeds, sitemaps, JSON-LD, robots.txt, the
feed's JSON) is built by `absolute()` from NEWSROOM_SITE_URL, never from the request's Host.
"""

import json
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import mark_safe

from newsroom import times
from newsroom.paths import static_path
from newsroom.text import xml_safe

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute(path):
    """The public address of a site path such as "/news/slug/"; full addresses pass through."""
    if path.startswith(("http://", "https://")):
        return path
    return settings.NEWSROOM["SITE_URL"] + path


def site_parts():
    """(scheme, host[:port]) of NEWSROOM_SITE_URL, for code that wants them apart."""
    scheme, _, rest = settings.NEWSROOM["SITE_URL"].partition("://")
    return scheme, rest.split("/", 1)[0]


def _without_forbidden(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {key: _without_forbidden(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_forbidden(item) for item in value]
    return value


def json_ld(data):
    """A <script type="application/ld+json"> block of schema.org `data`, that no string inside
    can break out of."""
    data = {"@context": "https://schema.org", **data}
    text = json.dumps(_without_forbidden(data), ensure_ascii=False, separators=(",", ":"))
    text = text.translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def default_share_image():
    """The newsroom's own picture, for pages that have none (NEWSROOM_SHARE_IMAGE)."""
    site = settings.NEWSROOM
    return {"url": absolute(static_path(site["SHARE_IMAGE"])), "alt": site["SITE_NAME"]}


def share_images(crops, alt):
    """Pictures for search engines and social networks, widest shape first: the crops of a
    page's picture ({"url", "width", "height"}) made absolute, or the newsroom's own."""
    if not crops:
        return [default_share_image()]
    return [{**crop, "url": absolute(crop["url"]), "alt": alt} for crop in crops]


def publisher():
    """The newsroom as schema.org publisher, with its logo."""
    site = settings.NEWSROOM
    return {
        "@type": "Organization",
        "name": site["SITE_NAME"],
        "url": absolute("/"),
        "logo": {"@type": "ImageObject", "url": absolute(static_path(site["LOGO"]))},
    }


def newsroom_as_author():
    """The newsroom as the schema.org author of what carries no byline."""
    return {"@type": "Organization", "name": settings.NEWSROOM["SITE_NAME"], "url": absolute("/")}


def posting(kind, *, url, headline, published, modified, images, authors=None, **more):
    """The schema.org fields every posting of ours has (NewsArticle, BlogPosting, ...)."""
    return {
        "@type": kind,
        "headline": headline[:110],
        "datePublished": times.for_machines(published),
        "dateModified": times.for_machines(modified),
        "author": authors or [newsroom_as_author()],
        "publisher": publisher(),
        "image": [image["url"] for image in images],
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        **more,
    }


def news_article(article, images, audio=None):
    """NewsArticle JSON-LD; `audio` is the schema.org AudioObject of its narration, if any."""
    authors = [
        {
            "@type": "Organization" if author.is_desk else "Person",
            "name": author.name,
            "url": absolute(author.get_absolute_url()),
        }
        for author in article.ordered_authors
    ]
    data = posting(
        "NewsArticle",
        url=absolute(article.get_absolute_url()),
        headline=article.title_for_sharing,
        published=article.published_at,
        modified=article.date_modified,
        images=images,
        authors=authors,
        description=article.seo_description or article.excerpt,
    )
    if article.section:
        data["articleSection"] = article.section.name
    if audio:
        data["audio"] = audio
    return json_ld(data)


def collection_page(name, path, description=""):
    """schema.org CollectionPage of a list of articles (a section, an author, a tag)."""
    data = {
        "@type": "CollectionPage",
        "name": name,
        "url": absolute(path),
        "isPartOf": {
            "@type": "WebSite",
            "name": settings.NEWSROOM["SITE_NAME"],
            "url": absolute("/"),
        },
    }
    if description:
        data["description"] = description
    return json_ld(data)


def breadcrumbs(trail):
    """schema.org BreadcrumbList of [(name, path)], from the home page down to this page."""
    return json_ld(
        {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": number, "name": name, "item": absolute(path)}
                for number, (name, path) in enumerate(trail, start=1)
            ],
        }
    )


def newsroom_author():
    """The newsroom as an author: of feed items, and of articles with no byline."""
    return {"name": settings.NEWSROOM["SITE_NAME"], "url": absolute("/")}


# When a feed with no items was last built: Django would write the present, and the feed
# would change every second for readers' apps asking whether it changed (ETag, 304).
NEVER = datetime(1970, 1, 1, tzinfo=UTC)


class DatedByItems:
    """A feed dated by its newest item, and by NEVER while it has none."""

    def latest_post_date(self):
        return super().latest_post_date() if self.items else NEVER


class RssFeed(DatedByItems, Rss201rev2Feed):
    """RSS 2.0 with one dc:creator per author of an item, in byline order."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": "http://purl.org/dc/elements/1.1/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item["authors"]:
            handler.addQuickElement("dc:creator", author["name"])


class AtomFeed(DatedByItems, Atom1Feed):
    """Atom with one <author> per author of an entry, in byline order, with their page."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", author["name"])
            handler.addQuickElement("uri", author["url"])
            handler.endElement("author")


class SiteFeed(Feed):
    """An RSS or Atom feed whose addresses are on NEWSROOM_SITE_URL, whatever Host was asked,
    with each author of an item named apart (`item_authors`), the newsroom when none is.

    Django's syndication framework prefixes relative links with the request's host; links
    made absolute here pass through it unchanged.
    """

    feed_type = RssFeed

    def author_name(self):
        return settings.NEWSROOM["SITE_NAME"]

    def author_link(self):
        return absolute("/")

    def item_authors(self, item):
        """[{"name", "url"}] in byline order; the newsroom by default."""
        return []

    def item_extra_kwargs(self, item):
        authors = self.item_authors(item) or [newsroom_author()]
        authors = [{key: xml_safe(value) for key, value in author.items()} for author in authors]
        return {**super().item_extra_kwargs(item), "authors": authors}

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["feed_url"] = absolute(request.path)
        for entry in (feed.feed, *feed.items):
            for name, value in entry.items():
                if isinstance(value, str):
                    entry[name] = xml_safe(value)
                elif isinstance(value, (list, tuple)):
                    entry[name] = [xml_safe(v) if isinstance(v, str) else v for v in value]
        return feed

    def item_link(self, item):
        return absolute(item.get_absolute_url())
