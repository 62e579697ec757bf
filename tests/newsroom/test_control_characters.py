"""A control character pasted into a headline never breaks a feed, a sitemap or JSON-LD."""

import json
import os
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles.models import Article
from feed.models import FeedItem
from tests.factories import ArticleFactory

# PostgreSQL cannot store a NUL in text at all, so only SQLite can hold one from before.
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")
BAD = {"vertical tab": "\x0b", "U+FFFF": "\uffff", **({} if ON_POSTGRESQL else {"NUL": "\x00"})}


@pytest.fixture(params=list(BAD.values()), ids=list(BAD))
def stored_badly(request, db):
    """An article and a feed item stored before the admin refused such characters."""
    bad = request.param
    article = ArticleFactory(headline="Before")
    Article.objects.filter(pk=article.pk).update(
        headline=f"Kyiv{bad} under attack", dek=f"Dek{bad}", excerpt=f"Excerpt{bad}"
    )
    FeedItem.objects.create(headline="Item", summary="Text", published_at=timezone.now())
    FeedItem.objects.filter(headline="Item").update(headline=f"Item{bad}", summary=f"Text{bad}")
    return article


@pytest.mark.parametrize(
    "path", ["/rss/", "/atom/", "/feed/rss/", "/news-sitemap.xml", "/sitemap.xml"]
)
def test_feeds_and_sitemaps_stay_well_formed_xml(client, stored_badly, path):
    response = client.get(path)
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # raises on malformed XML
    text = "".join(root.itertext())
    assert "Kyiv under attack" in text or "Item" in text or path == "/sitemap.xml"


def test_the_article_page_json_ld_holds_no_forbidden_character(client, stored_badly):
    html = client.get(Article.objects.get().get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["headline"] == "Kyiv under attack"
    assert data["description"] == "Excerpt"


@pytest.mark.parametrize("bad", ["\x0b", "\uffff", "\n"])
def test_the_admin_refuses_a_headline_with_a_control_character(editor_client, bad):
    response = editor_client.post(
        "/admin/feed/feeditem/add/",
        {"headline": f"Breaking{bad}news", "summary": "x", "status": "published"},
    )
    assert response.status_code == 200
    message = response.context["adminform"].form.errors["headline"][0]
    assert f"U+{ord(bad):04X} at character 9" in message
    assert not FeedItem.objects.exists()
