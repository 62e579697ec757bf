import pytest

from articles.models import Status
from feed.models import FeedItem
from tests import html
from tests.factories import ArticleFactory, FeedItemFactory

pytestmark = pytest.mark.django_db


def listed(response):
    page = html.parse(response)
    return sorted(html.text(cell) for cell in html.find_all(page, class_="field-headline"))


def test_the_article_admin_searches_with_the_site_engine_drafts_included(editor_client):
    ArticleFactory(headline="Drones over Kyiv", status=Status.DRAFT, published_at=None)
    ArticleFactory(headline="Kyivstar outage", body="Mobile network down.")
    ArticleFactory(headline="Lviv trams")

    assert listed(editor_client.get("/admin/articles/article/", {"q": "Kiev drones"})) == [
        "Drones over Kyiv"
    ]
    # The last word may still be being typed: it finds the longer words it begins.
    assert listed(editor_client.get("/admin/articles/article/", {"q": "Kiev"})) == [
        "Drones over Kyiv",
        "Kyivstar outage",
    ]
    assert listed(editor_client.get("/admin/articles/article/", {"q": "network"})) == [
        "Kyivstar outage"
    ]


def test_the_feed_item_admin_searches_with_the_site_engine(editor_client):
    FeedItemFactory(headline="Port of Odesa", status=FeedItem.Status.DRAFT)
    FeedItemFactory(headline="Kharkiv", summary="Shelling reported.")

    assert listed(editor_client.get("/admin/feed/feeditem/", {"q": "odessa"})) == ["Port of Odesa"]
    assert listed(editor_client.get("/admin/feed/feeditem/", {"q": 'shell "'})) == ["Kharkiv"]


def test_the_feed_item_form_finds_articles_to_link_as_you_type(editor_client):
    ArticleFactory(headline="Zaporizhzhia nuclear plant")

    response = editor_client.get(
        "/admin/autocomplete/",
        {"app_label": "feed", "model_name": "feeditem", "field_name": "article", "term": "zapor"},
    )

    assert [row["text"] for row in response.json()["results"]] == ["Zaporizhzhia nuclear plant"]
