"""What an open feed page gets when it polls the updates address it was given."""

import html
import re
from datetime import datetime, timedelta

import pytest

from tests.factories import FeedItemFactory, SectionFactory

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2024-01-21T05:00:00+00:00")


def updates_url_of(client, address):
    """The address the live script of the page at `address` polls."""
    found = re.search(r'data-updates-url="([^"]+)"', client.get(address).content.decode())
    return html.unescape(found.group(1))


def headlines(answer):
    return [item["headline"] for item in answer.json()["items"]]


@pytest.fixture
def two_sections(time_machine):
    """Ukraine news and Business, each with an item out an hour before START."""
    time_machine.move_to(START, tick=False)
    ukraine = SectionFactory(name="Ukraine news")
    business = SectionFactory(name="Business")
    earlier = START - timedelta(hours=1)
    return {
        "ukraine": ukraine,
        "business": business,
        "ukraine item": FeedItemFactory(
            headline="Ukraine item to correct", section=ukraine, published_at=earlier
        ),
        "business item": FeedItemFactory(
            headline="Business item to correct", section=business, published_at=earlier
        ),
    }


def news_after_start(time_machine, two_sections):
    time_machine.shift(timedelta(minutes=5))
    now = START + timedelta(minutes=5)
    FeedItemFactory(headline="New in Ukraine", section=two_sections["ukraine"], published_at=now)
    FeedItemFactory(headline="New in Business", section=two_sections["business"], published_at=now)
    FeedItemFactory(headline="New without a section", section=None, published_at=now)
    for key in ("ukraine item", "business item"):
        two_sections[key].summary = "Corrected."
        two_sections[key].save()


def test_a_sections_feed_page_polls_for_that_sections_new_and_edited_items_only(
    client, time_machine, two_sections
):
    poll = updates_url_of(client, "/sections/ukraine-news/feed/")
    assert "section=ukraine-news" in poll

    news_after_start(time_machine, two_sections)
    answer = client.get(poll)

    assert headlines(answer) == ["New in Ukraine", "Ukraine item to correct"]
    assert {item["section"] for item in answer.json()["items"]} == {"ukraine-news"}


def test_the_whole_feed_page_polls_for_every_sections_new_and_edited_items(
    client, time_machine, two_sections
):
    poll = updates_url_of(client, "/feed/")
    assert "section=" not in poll

    news_after_start(time_machine, two_sections)

    assert headlines(client.get(poll)) == [
        "New without a section",
        "New in Business",
        "New in Ukraine",
        "Business item to correct",
        "Ukraine item to correct",
    ]


def test_polls_may_be_kept_two_seconds_by_a_shared_cache(client):
    FeedItemFactory()
    first = client.get("/feed/updates.json")
    again = client.get("/feed/updates.json", headers={"If-None-Match": first["ETag"]})
    assert (first.status_code, again.status_code) == (200, 304)
    assert first["Cache-Control"] == again["Cache-Control"] == "public, max-age=2"
