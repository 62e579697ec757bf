"""A feed item that points elsewhere: its link wherever readers meet the item."""

import pytest

from tests.factories import FeedItemFactory

pytestmark = pytest.mark.django_db

REPORT = "https://www.iaea.org/newscenter/statements/update-zaporizhzhia"


@pytest.fixture
def item():
    return FeedItemFactory(headline="IAEA inspectors reach the plant", url=REPORT)


def test_the_feed_page_links_the_headline_to_the_outside_page(client, item):
    page = client.get("/feed/").content.decode()
    assert f'<a href="{REPORT}">IAEA inspectors reach the plant</a>' in page


def test_the_items_own_page_offers_the_outside_page_as_the_full_story(client, item):
    page = client.get(f"/feed/{item.pk}/").content.decode()
    assert f'<a href="{REPORT}">Read the full story</a>' in page


def test_open_pages_get_the_outside_link_with_the_item(client, item):
    (answer,) = client.get("/feed/updates.json").json()["items"]
    assert answer["article_url"] == REPORT
    assert answer["url"] == f"http://127.0.0.1:8000/feed/{item.pk}/"
