import pytest

from articles.models import Article, ArticleReads, HeroRenditions
from feed.models import FeedItem
from newsroom import demo
from tests.html import find, find_all, parse

pytestmark = pytest.mark.django_db


def test_demo_content_fills_the_home_page(client):
    demo.load()
    response = client.get("/")
    assert response.context["top_story"].hero_image
    assert len(response.context["latest"]) == 5
    assert len(response.context["section_blocks"]) == 4
    assert len(response.context["most_popular"]) == 5
    box = find(parse(response), "section", aria_labelledby="feed-box-heading")
    assert len(find_all(box, "article", class_="feed-item")) == 5
    assert b"<picture>" in response.content


def test_loading_the_demo_twice_adds_nothing():
    demo.load()
    counts = [m.objects.count() for m in (Article, FeedItem, ArticleReads, HeroRenditions)]
    assert demo.load()["articles"] == 0
    assert [m.objects.count() for m in (Article, FeedItem, ArticleReads, HeroRenditions)] == counts
