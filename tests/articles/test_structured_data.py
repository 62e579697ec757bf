"""What search engines and social networks read from pages, as extruct extracts it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import extruct
import pytest

from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    DeskFactory,
    FeedItemFactory,
    SectionFactory,
    TagFactory,
    image_file,
)

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"
KYIV = ZoneInfo("Europe/Kyiv")
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=KYIV)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def extract(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return extruct.extract(
        response.content.decode(), base_url=SITE + path, syntaxes=["json-ld", "opengraph"]
    )


def of_type(data, kind):
    found = [item for item in data["json-ld"] if item.get("@type") == kind]
    assert len(found) == 1, (
        f"expected one {kind}, found {[i.get('@type') for i in data['json-ld']]}"
    )
    return found[0]


def opengraph(data):
    """OpenGraph properties as [(property, value)], in page order."""
    return [pair for block in data["opengraph"] for pair in block["properties"]]


@pytest.fixture
def article(frozen):
    article = ArticleFactory(
        headline="Media: Putin preparing to visit North Korea",
        section=SectionFactory(name="Ukraine news"),
        published_at=NOW - timedelta(hours=3),
        hero_image=image_file(size=(1600, 1000)),
        hero_alt="Putin at a meeting",
        authors=[AuthorFactory(name="Rachel Amran"), DeskFactory()],
    )
    article.tags.set([TagFactory(name="North Korea"), TagFactory(name="Russia")])
    return article


def test_an_article_page_tells_social_networks_its_authors_times_section_and_tags(
    client, article, time_machine
):
    time_machine.move_to(NOW + timedelta(hours=1), tick=False)
    article.body += "\n\nAn update."
    article.save()
    properties = opengraph(extract(client, article.get_absolute_url()))
    assert ("og:type", "article") in properties
    assert [value for key, value in properties if key == "article:author"] == [
        f"{SITE}/authors/rachel-amran/",
        f"{SITE}/authors/the-kyiv-independent-news-desk/",
    ]
    assert ("article:published_time", "2026-03-02T09:00:00+02:00") in properties
    assert ("article:modified_time", "2026-03-02T13:00:00+02:00") in properties
    assert ("article:section", "Ukraine news") in properties
    assert [value for key, value in properties if key == "article:tag"] == ["North Korea", "Russia"]


def test_an_article_page_is_a_news_article_with_its_breadcrumbs(client, article):
    data = extract(client, article.get_absolute_url())
    news = of_type(data, "NewsArticle")
    url = f"{SITE}{article.get_absolute_url()}"
    assert news["headline"] == article.headline
    assert len(news["image"]) == 3
    assert news["datePublished"] == news["dateModified"] == "2026-03-02T09:00:00+02:00"
    assert [author["name"] for author in news["author"]] == [
        "Rachel Amran",
        "The Kyiv Independent news desk",
    ]
    assert news["publisher"]["logo"]["url"] == f"{SITE}/static/newsroom/logo.svg"
    assert news["mainEntityOfPage"]["@id"] == url
    crumbs = of_type(data, "BreadcrumbList")["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "The Kyiv Independent", f"{SITE}/"),
        (2, "Ukraine news", f"{SITE}/sections/ukraine-news/"),
        (3, article.headline, url),
    ]


def test_an_article_without_a_byline_is_by_the_newsroom(client, frozen):
    article = ArticleFactory(headline="Unsigned")
    news = of_type(extract(client, article.get_absolute_url()), "NewsArticle")
    assert news["author"] == [
        {"@type": "Organization", "name": "The Kyiv Independent", "url": f"{SITE}/"}
    ]


def test_the_feed_is_a_live_blog_covering_its_latest_updates(client, frozen):
    section = SectionFactory(name="Ukraine news")
    # Pinned long ago: still on top of the page, but not where the coverage starts.
    FeedItemFactory(
        headline="How to read this feed", pinned=True, published_at=NOW - timedelta(days=400)
    )
    for hours in range(12):
        FeedItemFactory(
            headline=f"Update {hours}",
            section=section,
            published_at=NOW - timedelta(hours=hours, minutes=5),
        )
    data = extract(client, "/feed/")
    live = of_type(data, "LiveBlogPosting")
    assert live["headline"] == "News Feed: live updates from The Kyiv Independent"
    assert len(live["liveBlogUpdate"]) == 10
    assert live["coverageStartTime"] == live["datePublished"] == "2026-03-02T02:55:00+02:00"
    assert live["coverageEndTime"] == "2026-03-02T23:59:59+02:00"
    assert live["author"][0]["name"] == live["publisher"]["name"] == "The Kyiv Independent"
    assert live["image"] == [f"{SITE}/static/newsroom/share.png"]
    assert live["mainEntityOfPage"]["@id"] == f"{SITE}/feed/"
    first = live["liveBlogUpdate"][0]
    assert first["@type"] == "BlogPosting" and first["headline"] == "Update 0"
    assert first["url"].startswith(f"{SITE}/feed/")
    properties = dict(opengraph(data))
    assert properties["og:title"] == "News Feed"
    assert properties["og:description"].startswith("Short updates from The Kyiv Independent")


def test_a_section_feed_is_a_live_blog_of_that_section(client, frozen):
    section = SectionFactory(name="Business")
    FeedItemFactory(section=section)
    data = extract(client, "/sections/business/feed/")
    assert (
        of_type(data, "LiveBlogPosting")["headline"]
        == "Business: live updates from The Kyiv Independent"
    )
    assert dict(opengraph(data))["og:title"] == "Business | News Feed"


def test_a_feed_item_page_is_a_blog_posting_of_its_own(client, frozen):
    item = FeedItemFactory(headline="Air raid alert lifted", summary="The all-clear sounded.")
    data = extract(client, item.get_absolute_url())
    posting = of_type(data, "BlogPosting")
    assert posting["headline"] == "Air raid alert lifted"
    assert posting["articleBody"] == "The all-clear sounded."
    assert posting["datePublished"] == "2026-03-02T11:55:00+02:00"
    assert posting["mainEntityOfPage"]["@id"] == f"{SITE}{item.get_absolute_url()}"
    properties = dict(opengraph(data))
    assert properties["og:title"] == "Air raid alert lifted | News Feed"
    assert properties["og:description"] == "The all-clear sounded."
