"""Feed readers see each co-author apart, and the newsroom where an item has no byline."""

import feedparser
import pytest

from tests.factories import ArticleFactory, AuthorFactory, DeskFactory, FeedItemFactory

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
ARTICLE_FEEDS = [
    "/rss/",
    "/atom/",
    "/sections/business/rss/",
    "/sections/business/atom/",
    "/authors/rachel-amran/rss/",
    "/authors/rachel-amran/atom/",
]


@pytest.fixture
def co_authored():
    from tests.factories import SectionFactory

    return ArticleFactory(
        headline="Putin preparing to visit North Korea",
        section=SectionFactory(name="Business"),
        authors=[AuthorFactory(name="Rachel Amran"), DeskFactory()],
    )


def read(client, path):
    feed = feedparser.parse(client.get(path).content)
    assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"
    return feed


@pytest.mark.parametrize("path", ARTICLE_FEEDS)
def test_each_co_author_is_an_author_of_the_entry(client, co_authored, path):
    entry = read(client, path).entries[0]
    names = [author.get("name") for author in entry.authors]
    assert names == ["Rachel Amran", "The Kyiv Independent news desk"]


@pytest.mark.parametrize("path", ["/atom/", "/sections/business/atom/"])
def test_atom_authors_link_to_their_pages(client, co_authored, path):
    entry = read(client, path).entries[0]
    assert [author.get("href") for author in entry.authors] == [
        f"{SITE}/authors/rachel-amran/",
        f"{SITE}/authors/the-kyiv-independent-news-desk/",
    ]


@pytest.mark.parametrize("path", ["/rss/", "/atom/"])
def test_an_article_without_a_byline_is_by_the_newsroom(client, path):
    ArticleFactory(headline="Unsigned")
    entry = read(client, path).entries[0]
    assert [author.get("name") for author in entry.authors] == ["The Kyiv Independent"]


def test_feed_items_are_by_the_newsroom(client):
    FeedItemFactory(headline="Air raid alert lifted")
    entry = read(client, "/feed/rss/").entries[0]
    assert entry.author == "The Kyiv Independent"
