"""The feed pages readers open: /feed/, /feed/<id>/, a section's feed, the RSS."""

import json
import re
from datetime import datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from articles.models import Status
from feed import drawing
from feed.models import FeedItem
from tests.factories import ArticleFactory, FeedItemFactory, SectionFactory
from tests.html import find, find_all, links, parse, text

pytestmark = pytest.mark.django_db


def json_ld(response):
    found = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(found.group(1))


def test_items_sit_under_day_headers_of_the_site_time_zone(client, time_machine):
    time_machine.move_to("2024-01-21 12:00:00+00:00", tick=False)
    # 23:30 UTC on the 20th is already 1:30 AM on the 21st in Kyiv.
    FeedItemFactory(
        headline="Late night", published_at=datetime.fromisoformat("2024-01-20T23:30:00+00:00")
    )
    FeedItemFactory(
        headline="Putin to visit", published_at=datetime.fromisoformat("2024-01-21T05:14:00+00:00")
    )
    FeedItemFactory(
        headline="Day before", published_at=datetime.fromisoformat("2024-01-19T10:00:00+00:00")
    )
    response = client.get("/feed/")
    html = response.content.decode()
    assert re.findall(r'<h2 class="day"[^>]*>([^<]+)</h2>', html) == [
        "January 21, 2024",
        "January 19, 2024",
    ]
    assert '<time datetime="2024-01-21T07:14:00+02:00">7:14 AM</time>' in html
    assert '<time datetime="2024-01-21T01:30:00+02:00">1:30 AM</time>' in html
    assert html.index("Putin to visit") < html.index("Late night") < html.index("Day before")


def test_pinned_items_come_first_with_a_label(client):
    FeedItemFactory(headline="Newest")
    FeedItemFactory(
        headline="Pinned story", pinned=True, published_at=timezone.now() - timedelta(days=1)
    )
    html = client.get("/feed/").content.decode()
    main = html[html.index("<main") :]
    label = main.index('<p class="feed-label">Pinned</p>')
    assert label < main.index("Pinned story") < main.index("Newest")
    assert main.count('<p class="feed-label">Pinned</p>') == 1
    # Headings go down one level at a time: h1, then the pinned block's h2, then items' h3.
    assert main.index("<h1>") < main.index('<h2 id="feed-pinned-heading"') < main.index("<h3>")


def test_an_item_links_to_its_article_or_else_its_own_page(client):
    article = ArticleFactory(headline="The full story")
    with_article = FeedItemFactory(headline="With article", article=article)
    alone = FeedItemFactory(headline="Alone")
    response = client.get("/feed/")
    assert f'<a href="{article.get_absolute_url()}">With article</a>' in response.content.decode()
    assert f'<a href="/feed/{alone.pk}/">Alone</a>' in response.content.decode()
    assert with_article.pk != alone.pk


def test_an_items_id_is_written_for_the_live_script_whatever_the_locale_groups(client, settings):
    settings.USE_THOUSAND_SEPARATOR = True  # "12,345" in English, "12 345" in Ukrainian
    item = FeedItemFactory(id=12345, headline="Late update")
    article = ArticleFactory(section=item.section)
    for path in ("/feed/", article.get_absolute_url()):
        drawn = find_all(parse(client.get(path)), "article", class_="feed-item")
        assert {element.attributes["data-id"] for element in drawn} == {"12345"}, path
    assert find(parse(client.get("/feed/")), "article", id="item-12345") is not None
    html = client.get("/feed/updates.json").json()["items"][0]["html"]
    assert find(parse(html), "article").attributes["data-id"] == "12345"


def test_an_items_words_are_escaped_wherever_it_is_drawn(client):
    section = SectionFactory(name='Kyiv & "Region"')
    FeedItemFactory(headline='<script>alert(1)</script> "Sirens"', section=section)
    article = ArticleFactory(section=section)
    drawn = [
        client.get("/feed/").content.decode(),
        client.get(article.get_absolute_url()).content.decode(),
        client.get("/feed/updates.json").json()["items"][0]["html"],
    ]
    for html in drawn:
        assert "<script>alert(1)" not in html
        item = find(parse(html), "article", class_="feed-item")
        assert text(find(item, "h3")) == '<script>alert(1)</script> "Sirens"'
        assert text(find(item, "span", class_="feed-section")) == 'Kyiv & "Region"'


def test_an_item_is_drawn_only_in_the_variants_its_template_knows():
    item = FeedItemFactory()
    assert 'id="item-' in drawing.item_html(item, "page")
    with pytest.raises(ValueError, match="page, compact, detail, not 'wide'"):
        drawing.item_html(item, "wide")


def headline_links(page, item):
    """Where the item's headline leads, in each place the page draws the item."""
    drawn = find_all(parse(page), "article", data_id=str(item.pk))
    assert drawn, f"the page does not show item {item.pk}"
    return {href for element in drawn for href, words in links(element) if words == item.headline}


@pytest.mark.parametrize("status", [Status.SCHEDULED, Status.DRAFT, Status.REVIEW])
def test_an_item_links_its_article_only_once_readers_may_open_it(client, time_machine, status):
    time_machine.move_to("2024-01-21 05:00:00+00:00", tick=False)
    ukraine = SectionFactory(name="Ukraine news")
    story = ArticleFactory(
        headline="Putin to visit Pyongyang",
        section=ukraine,
        status=status,
        published_at=timezone.now() + timedelta(minutes=30),
    )
    item = FeedItemFactory(headline="Putin to visit", section=ukraine, article=story)
    neighbour = ArticleFactory(section=ukraine)  # its page shows the item in both boxes
    pages = ["/", neighbour.get_absolute_url(), "/feed/", item.get_absolute_url()]
    for path in [*pages, "/feed/rss/", "/feed/updates.json"]:
        content = client.get(path).content.decode()
        assert "Putin to visit" in content, path
        assert story.slug not in content, f"{path} gives away the address of {story.slug}"
    assert client.get("/feed/updates.json").json()["items"][0]["article_url"] is None
    for path in pages[:3]:
        assert headline_links(client.get(path), item) == {item.get_absolute_url()}, path

    time_machine.shift(timedelta(minutes=31))
    story_url = story.get_absolute_url()
    opened = client.get(story_url).status_code == 200
    assert opened == (status == Status.SCHEDULED)
    expected = story_url if opened else item.get_absolute_url()
    for path in pages[:3]:
        assert headline_links(client.get(path), item) == {expected}, path
    own_page = find(parse(client.get(item.get_absolute_url())), "article", data_id=str(item.pk))
    assert links(own_page) == ([(story_url, "Read the full story")] if opened else [])
    article_url = client.get("/feed/updates.json").json()["items"][0]["article_url"]
    assert article_url == (f"http://127.0.0.1:8000{story_url}" if opened else None)


def test_load_more_pages_by_keyset_through_every_item(client, django_assert_max_num_queries):
    moment = timezone.now() - timedelta(hours=1)
    for n in range(35):
        FeedItemFactory(headline=f"Update {n:02}", published_at=moment - timedelta(minutes=n // 2))
    first = client.get("/feed/")
    assert len(first.context["items"]) == 30
    more = re.search(r'<a rel="next" href="([^"]+)">Load more</a>', first.content.decode())
    with django_assert_max_num_queries(4) as queries:
        second = client.get(more.group(1).replace("&amp;", "&"))
    assert "OFFSET" not in " ".join(q["sql"].upper() for q in queries.captured_queries)
    shown = [item.pk for item in first.context["items"] + second.context["items"]]
    assert shown == list(
        FeedItem.objects.order_by("-published_at", "-id").values_list("id", flat=True)
    )
    assert "Load more" not in second.content.decode()


def test_only_the_first_page_listens_for_new_updates(client):
    for _ in range(31):
        FeedItemFactory()
    first = client.get("/feed/")
    assert "data-feed-live" in first.content.decode()
    assert "data-feed-live" not in client.get(first.context["more_url"]).content.decode()


def test_a_bad_load_more_position_is_a_400_that_says_why(client):
    response = client.get("/feed/", {"before": "tomorrow"})
    assert response.status_code == 400
    assert "before" in response.content.decode()


def test_feed_page_costs_the_same_queries_for_many_items(client, django_assert_max_num_queries):
    section = SectionFactory()
    for n in range(20):
        FeedItemFactory(section=section, article=ArticleFactory() if n % 2 else None)
    with django_assert_max_num_queries(4):
        client.get("/feed/")


def test_item_page_has_title_description_and_canonical_address(client, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "SITE_URL": "https://news.example"}
    item = FeedItemFactory(
        headline="Russian seaport terminal on fire", summary="The **terminal** burned."
    )
    html = client.get(f"/feed/{item.pk}/").content.decode()
    assert "<title>Russian seaport terminal on fire | News Feed |" in html
    assert '<meta name="description" content="The terminal burned.">' in html
    assert f'<link rel="canonical" href="https://news.example/feed/{item.pk}/">' in html
    assert "<h1>Russian seaport terminal on fire</h1>" in html


def test_a_draft_or_scheduled_item_has_no_page(client):
    draft = FeedItemFactory(status=FeedItem.Status.DRAFT)
    later = FeedItemFactory(published_at=timezone.now() + timedelta(hours=1))
    assert client.get(f"/feed/{draft.pk}/").status_code == 404
    assert client.get(f"/feed/{later.pk}/").status_code == 404


@pytest.mark.parametrize("address", ["/sections/ukraine-news/feed/", "/feed/?section=ukraine-news"])
def test_a_sections_feed_shows_only_its_items(client, address):
    ukraine = SectionFactory(name="Ukraine news")
    FeedItemFactory(headline="Border reopens", section=ukraine)
    FeedItemFactory(headline="Markets rally", section=SectionFactory(name="Business"))
    response = client.get(address)
    assert "Border reopens" in response.content.decode()
    assert "Markets rally" not in response.content.decode()
    assert "section=ukraine-news" in response.context["updates_url"]


def test_an_unknown_sections_feed_is_404(client):
    assert client.get("/sections/nowhere/feed/").status_code == 404
    assert client.get("/feed/", {"section": "nowhere"}).status_code == 404


def test_page_carries_live_blog_posting_with_its_latest_updates(client):
    FeedItemFactory(headline="Older", published_at=timezone.now() - timedelta(hours=2))
    FeedItemFactory(headline="Zelensky invites Trump to Ukraine </script><b>")
    data = json_ld(client.get("/feed/"))
    assert data["@type"] == "LiveBlogPosting"
    assert [u["headline"] for u in data["liveBlogUpdate"]] == [
        "Zelensky invites Trump to Ukraine </script><b>",
        "Older",
    ]
    assert data["liveBlogUpdate"][0]["@type"] == "BlogPosting"
    assert "coverageStartTime" in data and "dateModified" in data


def test_page_works_without_javascript_and_names_its_updates_address(client):
    FeedItemFactory(headline="Server rendered")
    html = client.get("/feed/").content.decode()
    assert "Server rendered" in html
    assert 'data-updates-url="/feed/updates.json?after=' in html
    assert "/static/feed/live.js" in html


def test_rss_lists_published_items_newest_first(client):
    FeedItemFactory(headline="First", published_at=timezone.now() - timedelta(hours=1))
    second = FeedItemFactory(headline="Second", summary="Some *news*.")
    FeedItemFactory(headline="Hidden draft", status=FeedItem.Status.DRAFT)
    response = client.get("/feed/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("channel/item")
    assert [item.findtext("title") for item in items] == ["Second", "First"]
    assert items[0].findtext("description") == "<p>Some <em>news</em>.</p>"
    assert items[0].findtext("link") == f"http://127.0.0.1:8000/feed/{second.pk}/"


@pytest.mark.parametrize("path", ["/feed/", "/feed/?section=ukraine-news"])
def test_the_feed_page_names_one_canonical_address(client, path):
    FeedItemFactory(section=SectionFactory(name="Ukraine news"))
    content = client.get(path).content.decode()
    assert content.count('rel="canonical"') == 1


def test_a_sections_feed_asked_for_by_parameter_names_the_sections_own_page_as_canonical(client):
    FeedItemFactory(section=SectionFactory(name="Ukraine news"))
    content = client.get("/feed/?section=ukraine-news").content.decode()
    canonical = "http://127.0.0.1:8000/sections/ukraine-news/feed/"
    assert f'<link rel="canonical" href="{canonical}">' in content
    assert f'<meta property="og:url" content="{canonical}">' in content


def test_an_item_page_names_one_canonical_address(client):
    item = FeedItemFactory()
    content = client.get(item.get_absolute_url()).content.decode()
    assert content.count('rel="canonical"') == 1
    assert f'href="http://127.0.0.1:8000{item.get_absolute_url()}"' in content


@pytest.mark.django_db
@pytest.mark.parametrize("section", ["%00", "a%00b", "no such section", "%2F..%2F"])
def test_a_section_the_feed_cannot_have_is_a_404_not_an_error(client, section):
    assert client.get(f"/feed/?section={section}").status_code == 404
