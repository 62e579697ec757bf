"""A word found in many entries: pages are taken headline matches first then the others, each
walked newest first, and counted from the hidden side (search/backends.py). Readers must get
what the plain way gives, on both databases."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Status
from feed.models import FeedItem
from search import backends
from search.engine import search
from tests.factories import ArticleFactory, FeedItemFactory, SectionFactory

pytestmark = pytest.mark.django_db


def ago(**delta):
    return timezone.now() - timedelta(**delta)


@pytest.fixture
def news():
    """Grain in headlines and bodies, of every kind and state readers may or may not see."""
    south, north = SectionFactory(name="South"), SectionFactory(name="North")
    for number in range(23):
        ArticleFactory(
            headline=f"Port report {number}",
            body=f"Grain ships left port {number}." + (" Wheat too." if number % 4 == 0 else ""),
            section=south if number % 2 else north,
            published_at=ago(minutes=7 * number),
        )
    for number in range(6):
        ArticleFactory(headline=f"Grain prices {number}", published_at=ago(minutes=11 * number))
    FeedItemFactory(headline="Grain corridor open", section=south, published_at=ago(minutes=3))
    FeedItemFactory(summary="More grain left today.", published_at=ago(minutes=40))
    # What readers may not see.
    for status in (Status.DRAFT, Status.REVIEW, Status.UNPUBLISHED):
        ArticleFactory(headline=f"Grain {status}", status=status)
    ArticleFactory(headline="Grain scheduled", status=Status.SCHEDULED, published_at=ago(days=-1))
    ArticleFactory(headline="Grain draft with no time", status=Status.DRAFT, published_at=None)
    FeedItemFactory(headline="Grain draft item", status=FeedItem.Status.DRAFT)
    FeedItemFactory(headline="Grain item ahead", published_at=ago(hours=-2))
    return south


def plain_and_walked(monkeypatch, ask):
    """What `ask()` answers the plain way, and with every search taking the way for many."""
    monkeypatch.setattr(backends.Backend, "MANY", 10**9)
    plain = ask()
    monkeypatch.setattr(backends.Backend, "MANY", 1)
    return plain, ask()


def pages(results, size=4):
    """Every page of `results`, as (pk, in_headline) pairs, and the count."""
    total = results.count()
    rows = []
    for start in range(0, total + size, size):
        rows += [(entry.pk, entry.in_headline) for entry in results[start : start + size]]
    return rows, total


@pytest.mark.parametrize("text", ["grain", "grain -wheat", '"grain ships"', "grain prices"])
def test_a_word_in_many_entries_pages_and_counts_as_the_plain_search_does(news, monkeypatch, text):
    plain, walked = plain_and_walked(monkeypatch, lambda: pages(search(text)))

    assert walked == plain
    rows, total = plain
    assert total == len(rows) > 0
    everything = [(entry.pk, entry.in_headline) for entry in search(text).entries]
    assert rows == everything


def test_the_plain_search_pages_its_queryset_best_first(news):
    rows, total = pages(search("grain"))

    assert total == 23 + 6 + 2
    headlines = [flag for _, flag in rows]
    assert headlines == [True] * 7 + [False] * 24


def test_a_filtered_search_finds_and_counts_as_the_plain_search_does(
    news, client, monkeypatch, found
):
    asked = [
        {"q": "grain", "section": news.slug},
        {"q": "grain", "kind": "feed_item"},
        {"q": "grain -wheat", "kind": "article"},
    ]

    def ask():
        pages = [client.get("/search/", question).content.decode() for question in asked]
        return [found(**question) for question in asked], [
            page[page.index('class="search-count"') :][:40] for page in pages
        ]

    plain, walked = plain_and_walked(monkeypatch, ask)

    assert walked == plain
    (south, items, without_wheat), counts = plain
    assert south[0] == "Grain corridor open"
    assert len(south) == 11 + 1 and "12 results" in counts[0]
    assert len(items) == 2 and "2 results" in counts[1]
    assert len(without_wheat) == 20 and "23 results" in counts[2]


def test_the_search_page_counts_a_word_in_many_entries_as_readers_may_see_them(
    news, client, monkeypatch
):
    def ask():
        return client.get("/search/", {"q": "grain"}).content.decode()

    plain, walked = plain_and_walked(monkeypatch, ask)

    assert "31 results" in plain
    assert "31 results" in walked


def test_a_word_in_many_entries_takes_a_fixed_number_of_queries_on_any_page(
    news, client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(backends.Backend, "MANY", 1)

    # Synonyms, the index's counts, the hidden matches, the headline matches, the others, the
    # rows, their bylines, the marked words, the menu, the form's sections and authors; a page
    # past the headline matches also counts them.
    with django_assert_max_num_queries(11):
        assert client.get("/search/", {"q": "grain"}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/search/", {"q": "grain", "page": 2}).status_code == 200
