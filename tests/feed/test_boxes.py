"""The feed's boxes on article pages and the home page, read as a reader reads them."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, FeedItemFactory, SectionFactory
from tests.html import find, find_all, links, parse, text

pytestmark = pytest.mark.django_db


def news_feed_box(page):
    return find(page, "section", aria_labelledby="feed-box-heading")


def headlines(box):
    return [text(find(item, "h3")) for item in find_all(box, "article", class_="feed-item")]


def test_home_page_shows_the_latest_five_items_in_a_box_that_follows_the_feed(client):
    ukraine = SectionFactory(name="Ukraine news")
    newest, *_ = [
        FeedItemFactory(
            headline=f"Update {minutes} minutes ago",
            section=ukraine,
            published_at=timezone.now() - timedelta(minutes=minutes),
        )
        for minutes in range(6)
    ]
    page = parse(client.get("/"))
    box = news_feed_box(page)
    assert links(find(box, "h2")) == [("/feed/", "News Feed")]
    assert headlines(box) == [f"Update {minutes} minutes ago" for minutes in range(5)]
    assert text(find(box, "article")).startswith(
        f"{timezone.localtime(newest.published_at):%-I:%M %p} Ukraine news Update 0"
    )
    attributes = dict(box.attributes)
    assert "data-feed-live" in attributes
    address = attributes["data-updates-url"]
    assert address.startswith("/feed/updates.json?") and "limit=5" in address
    assert "variant=compact" in address
    assert find(page, "script", src="/static/feed/live.js")


def test_a_pinned_item_is_not_marked_in_the_box_which_lists_by_time(client):
    FeedItemFactory(headline="Pinned story", pinned=True)
    box = news_feed_box(parse(client.get("/")))
    assert headlines(box) == ["Pinned story"]
    assert "Pinned Pinned story" not in text(box)
    assert not find_all(box, class_="feed-item--pinned")


def newer_updates(count=5):
    """Updates newer than any other of the test's: they fill the News Feed box."""
    return [FeedItemFactory(headline=f"Newer update {n}") for n in range(count)]


def test_article_page_shows_the_news_feed_box_and_its_sections_latest_items(client):
    ukraine = SectionFactory(name="Ukraine news")
    article = ArticleFactory(section=ukraine)
    FeedItemFactory(
        headline="Zelensky invites Trump to Ukraine",
        section=ukraine,
        published_at=timezone.now() - timedelta(hours=2),
    )
    FeedItemFactory(
        headline="Russian seaport terminal on fire",
        summary="The **terminal** burned.",
        published_at=timezone.now() - timedelta(minutes=1),
    )
    newer_updates(4)
    page = parse(client.get(article.get_absolute_url()))
    sidebar = find(page, "aside", class_="sidebar")
    box = headlines(news_feed_box(sidebar))
    assert box[0] == "Russian seaport terminal on fire" and len(box) == 5
    assert "Zelensky invites Trump to Ukraine" not in box
    assert "The terminal burned." in text(news_feed_box(sidebar))
    block = find(sidebar, "section", class_="section-block")
    assert links(find(block, "h2")) == [("/sections/ukraine-news/", "Ukraine news")]
    assert headlines(block) == ["Zelensky invites Trump to Ukraine"]
    # The block is headed by the section; its items do not repeat the name.
    assert text(block).count("Ukraine news") == 1


def test_an_item_is_drawn_once_on_an_article_page_whose_ids_are_unique(client):
    ukraine = SectionFactory(name="Ukraine news")
    article = ArticleFactory(section=ukraine)
    items = [FeedItemFactory(section=ukraine) for _ in range(7)]
    page = parse(client.get(article.get_absolute_url()))
    for item in items:
        assert len(find_all(page, "article", data_id=str(item.pk))) == 1
    ids = Counter(element.attributes["id"] for element in find_all(page, id=True))
    assert [name for name, count in ids.items() if count > 1] == []


def test_article_without_a_section_shows_the_first_section_with_feed_items(client):
    article = ArticleFactory(section=None)
    SectionFactory(name="Business", position=0)
    FeedItemFactory(
        headline="Romanian protesters end blockade",
        section=SectionFactory(position=1),
        published_at=timezone.now() - timedelta(hours=1),
    )
    newer_updates()
    block = find(parse(client.get(article.get_absolute_url())), class_="section-block")
    assert headlines(block) == ["Romanian protesters end blockade"]


def test_article_page_has_no_section_block_when_no_section_has_feed_items(client):
    article = ArticleFactory(section=SectionFactory(name="Business"))
    FeedItemFactory(headline="Without a section")
    page = parse(client.get(article.get_absolute_url()))
    assert headlines(news_feed_box(page)) == ["Without a section"]
    assert find_all(page, class_="section-block") == []


@pytest.mark.parametrize("path", ["/", "/feed/"])
def test_live_lists_have_a_polite_status_line_for_what_arrives(client, path):
    FeedItemFactory()
    live = find(parse(client.get(path)), data_feed_live=True)
    status = find(live, "p", role="status", data_feed_status=True)
    assert text(status) == ""
