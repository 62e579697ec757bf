"""Every feed reads cleanly in feedparser, names each co-author, and links on the site's address
whatever Host the request sent."""

import feedparser
import pytest

from tests.standards.conftest import SAMPLE_ARTICLE, SITE_URL

FEEDS = [
    "/rss/",
    "/atom/",
    "/sections/ukraine-news/rss/",
    "/sections/ukraine-news/atom/",
    "/authors/rachel-amran/rss/",
    "/authors/rachel-amran/atom/",
    "/feed/rss/",
    "/audio/rss/",
]
CO_AUTHORS = ["Rachel Amran", "The Kyiv Independent news desk"]


def links_in(feed):
    found = [link["href"] for link in feed.feed.get("links", [])]
    for entry in feed.entries:
        found += [link["href"] for link in entry.get("links", [])]
        found += [author["href"] for author in entry.get("authors", []) if "href" in author]
        found.append(entry.get("id", SITE_URL + "/"))
    return found


@pytest.mark.parametrize("host", [None, "127.0.0.1", "localhost"])
@pytest.mark.parametrize("path", FEEDS)
def test_every_feed_parses_and_links_on_the_site_url(site, path, host):
    port = site.url.rsplit(":", 1)[1]
    answer = site.fetch(path, host=f"{host}:{port}" if host else None)
    assert answer.status == 200
    feed = feedparser.parse(answer.body)
    assert not feed.bozo, f"{path}: {feed.get('bozo_exception')}"
    assert feed.entries, f"{path} has no entries"
    for entry in feed.entries:
        names = [author.get("name") for author in entry.get("authors", [])]
        assert names and all(names), f"{path}: {entry.title!r} has no author"
    outside = [link for link in links_in(feed) if not link.startswith(SITE_URL + "/")]
    assert outside == [], f"{path} links off {SITE_URL}: {outside}"


# The feeds the imported sample is in (it has no section).
@pytest.mark.parametrize(
    "path", ["/rss/", "/atom/", "/authors/rachel-amran/rss/", "/authors/rachel-amran/atom/"]
)
def test_the_co_authored_sample_has_one_author_element_each(site, path):
    feed = feedparser.parse(site.fetch(path).body)
    sample = next(e for e in feed.entries if e.link == SITE_URL + SAMPLE_ARTICLE)
    assert [author.get("name") for author in sample.authors] == CO_AUTHORS
