"""What an open feed page gets when it polls the updates address it was given."""

import html
import re
import threading
from collections import Counter
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.db import connection, transaction
from django.utils import timezone

from feed.models import FeedItem
from newsroom import freshness
from tests.factories import FeedItemFactory, SectionFactory
from tests.html import find, find_all, parse, text

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


class Poller:
    """An open page, doing with each answer what static/feed/live.js does: it sends the
    answer's cursor as after=, follows "next" pages (a list; the box takes the first), drops
    what "removed" names, and takes an item again only when its updated_at differs."""

    def __init__(self, client, address):
        self.client = client
        page = parse(client.get(address))
        live_list = find(page, data_feed_live=True)
        self.url = live_list.attributes["data-updates-url"]
        self.is_box = "data-feed-box" in live_list.attributes
        self.etag = None
        self.shown = {
            int(item.attributes["data-id"]): datetime.fromisoformat(item.attributes["data-updated"])
            for item in find_all(live_list, "article", class_="feed-item")
        }
        self.headlines = {
            int(item.attributes["data-id"]): text(find(item, "h3"))
            for item in find_all(live_list, "article", class_="feed-item")
        }
        self.arrivals = Counter()

    def poll(self):
        headers = {"If-None-Match": self.etag} if self.etag else {}
        response = self.client.get(self.url, headers=headers)
        if response.status_code == 304:
            return
        assert response.status_code == 200, response.content
        self.etag = response["ETag"]
        data = response.json()
        items, page = list(data["items"]), data
        while page["next"] and not self.is_box:
            page = self.client.get(page["next"]).json()
            items += page["items"]
        for pk in data["removed"]:
            self.shown.pop(pk, None)
        for item in reversed(items):
            updated = datetime.fromisoformat(item["updated_at"])
            if self.shown.get(item["id"]) == updated:
                continue
            if item["id"] not in self.shown:
                self.arrivals[item["headline"]] += 1
            self.shown[item["id"]] = updated
            self.headlines[item["id"]] = item["headline"]
        if data["cursor"]:
            address = urlsplit(self.url)
            query = [(k, v) for k, v in parse_qsl(address.query) if k not in ("after", "since")]
            self.url = f"{address.path}?{urlencode([*query, ('after', data['cursor'])])}"

    def showing(self):
        return {self.headlines[pk] for pk in self.shown}


def test_an_open_page_gets_every_item_once_though_their_transactions_commit_out_of_order(
    client, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(START, tick=False)
    FeedItemFactory(headline="Earlier", published_at=START - timedelta(hours=1))
    poller = Poller(client, "/feed/")
    for n in range(5):
        # A slow transaction stamps its item now; a quicker one stamps a later time but
        # commits first, and the page polls in between.
        slow_began = timezone.now()
        time_machine.shift(timedelta(seconds=2))
        with django_capture_on_commit_callbacks(execute=True):
            FeedItemFactory(headline=f"Quick {n}", published_at=timezone.now())
        poller.poll()
        polled_at = timezone.now()
        time_machine.move_to(slow_began, tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            FeedItemFactory(headline=f"Slow {n}", published_at=slow_began)
        time_machine.move_to(polled_at + timedelta(seconds=10), tick=False)
        poller.poll()
    expected = {f"{speed} {n}" for n in range(5) for speed in ("Quick", "Slow")}
    assert poller.arrivals == dict.fromkeys(expected, 1)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite lets one transaction write at a time"
)
@pytest.mark.django_db(transaction=True)
def test_items_from_transactions_open_at_once_each_reach_an_open_page_once(client):
    FeedItemFactory(headline="Earlier", published_at=timezone.now() - timedelta(hours=1))
    poller = Poller(client, "/feed/")
    for n in range(5):
        written, release = threading.Event(), threading.Event()

        def slow(n=n, written=written, release=release):
            try:
                with transaction.atomic():
                    FeedItemFactory(headline=f"Slow {n}", published_at=timezone.now())
                    written.set()
                    release.wait(10)
            finally:
                connection.close()

        writer = threading.Thread(target=slow)
        writer.start()
        assert written.wait(10)
        FeedItemFactory(headline=f"Quick {n}", published_at=timezone.now())
        poller.poll()
        assert f"Quick {n}" in poller.showing() and f"Slow {n}" not in poller.showing()
        release.set()
        writer.join()
        poller.poll()
    expected = {f"{speed} {n}" for n in range(5) for speed in ("Quick", "Slow")}
    assert poller.arrivals == dict.fromkeys(expected, 1)


def test_an_open_page_drops_taken_down_items_and_takes_scheduled_ones_when_due(
    client, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(START, tick=False)
    shown = FeedItemFactory(headline="Shown", published_at=START - timedelta(minutes=30))
    FeedItemFactory(headline="Due soon", published_at=START + timedelta(seconds=30))
    poller = Poller(client, "/feed/")
    assert poller.showing() == {"Shown"}
    time_machine.shift(timedelta(seconds=10))
    with django_capture_on_commit_callbacks(execute=True):
        shown.status = FeedItem.Status.DRAFT
        shown.save()
    poller.poll()
    assert poller.shown == {}
    time_machine.shift(timedelta(seconds=30))
    poller.poll()
    assert poller.showing() == {"Due soon"} and poller.arrivals == {"Due soon": 1}


def test_edits_made_without_saving_each_item_reach_an_open_page(client, time_machine):
    """Imports write in bulk, with no signals: the database numbers those writes too."""
    time_machine.move_to(START, tick=False)
    item = FeedItemFactory(headline="Imported", published_at=START - timedelta(minutes=30))
    poller = Poller(client, "/feed/")
    FeedItem.objects.filter(pk=item.pk).update(
        headline="Imported, then corrected", updated_at=START - timedelta(minutes=1)
    )
    FeedItem.objects.bulk_create([FeedItem(headline="Imported too", published_at=START)])
    freshness.everything_changed()
    poller.poll()
    assert poller.showing() == {"Imported, then corrected", "Imported too"}
    assert poller.arrivals == {"Imported too": 1}


@pytest.mark.django_db(transaction=True)
def test_a_poll_that_finds_nothing_new_is_asked_again_and_answered_304(client):
    poller = Poller(client, "/feed/")
    FeedItemFactory(headline="Breaking")
    poller.poll()
    poller.poll()  # may bring "Breaking" again: its answer was made as it committed
    poller.poll()
    asked = poller.url
    response = client.get(asked, headers={"If-None-Match": poller.etag})
    assert response.status_code == 304
    assert poller.arrivals == {"Breaking": 1}


@pytest.mark.django_db(transaction=True)
def test_a_page_drawn_before_cursors_goes_on_with_the_cursor_it_is_given(client):
    FeedItemFactory(headline="Old page's item")
    answer = client.get("/feed/updates.json", {"since": timezone.now().isoformat()}).json()
    assert answer["items"] == [] and answer["cursor"]
    again = client.get("/feed/updates.json", {"after": answer["cursor"]})
    assert again.status_code == 200 and again.json()["cursor"] == answer["cursor"]
