"""Search-engine and social metadata: canonical URLs, OpenGraph and NewsArticle JSON-LD."""

import json

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import mark_safe

_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def absolute(path):
    if path.startswith(("http://", "https://")):
        return path
    return settings.NEWSROOM["SITE_URL"] + path


def json_ld(data):
    """A <script type="application/ld+json"> block that no string inside can break out of."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def news_article(article, image_url=None):
    site = settings.NEWSROOM
    url = absolute(article.get_absolute_url())
    authors = [
        {
            "@type": "Organization" if author.is_desk else "Person",
            "name": author.name,
            "url": absolute(author.get_absolute_url()),
        }
        for author in article.ordered_authors
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "description": article.excerpt,
        "datePublished": article.published_at.isoformat(),
        "dateModified": max(article.updated_at, article.published_at).isoformat(),
        "author": authors,
        "publisher": {
            "@type": "Organization",
            "name": site["SITE_NAME"],
            "url": site["SITE_URL"] + "/",
            "logo": {"@type": "ImageObject", "url": absolute(static(site["LOGO"]))},
        },
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
    }
    if image_url:
        data["image"] = [absolute(image_url)]
    if article.section:
        data["articleSection"] = article.section.name
    return json_ld(data)
