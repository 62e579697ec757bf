"""/feed/updates.json: what open pages poll for."""

from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import brotli
import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Status
from feed.models import FeedItem
from tests.factories import ArticleFactory, FeedItemFactory, SectionFactory
from tests.html import find, parse, same_html

pytestmark = pytest.mark.django_db
URL = "/feed/updates.json"


def minutes_ago(minutes):
    return timezone.now() - timedelta(minutes=minutes)


def test_answer_lists_items_newest_first_with_every_field(client):
    article = ArticleFactory()
    section = SectionFactory(name="Ukraine news")
    older = FeedItemFactory(headline="Older", published_at=minutes_ago(30))
    newer = FeedItemFactory(
        headline="Newer", summary="**Bold**", article=article, section=section, pinned=True
    )
    data = client.get(URL).json()
    assert set(data) == {"items", "removed", "poll_interval", "next", "cursor"}
    assert set(data["items"][0]) == {
        *("id", "html", "headline", "summary_html", "published_at", "updated_at"),
        *("url", "article_url", "section", "pinned"),
    }
    assert [item["id"] for item in data["items"]] == [newer.pk, older.pk]
    first = data["items"][0]
    assert first["headline"] == "Newer"
    assert first["summary_html"] == "<p><strong>Bold</strong></p>"
    assert first["url"] == f"http://127.0.0.1:8000/feed/{newer.pk}/"
    assert first["article_url"] == f"http://127.0.0.1:8000{article.get_absolute_url()}"
    assert first["section"] == "ukraine-news"
    assert first["pinned"] is True
    assert datetime.fromisoformat(first["published_at"]) == newer.published_at
    assert datetime.fromisoformat(first["updated_at"]).utcoffset() is not None
    assert data["items"][1]["article_url"] is None and data["items"][1]["section"] is None
    assert data["removed"] == [] and data["next"] is None


def test_drafts_and_scheduled_items_are_not_listed(client):
    FeedItemFactory(headline="Draft", status=FeedItem.Status.DRAFT)
    FeedItemFactory(headline="Later", published_at=timezone.now() + timedelta(hours=1))
    FeedItemFactory(headline="Out")
    assert [item["headline"] for item in client.get(URL).json()["items"]] == ["Out"]


def test_unchanged_feed_answers_304_after_one_cache_read_and_no_query(
    client, monkeypatch, django_assert_num_queries
):
    FeedItemFactory()
    first = client.get(URL, {"section": "", "limit": 5})
    etag = first.headers["ETag"]
    reads = []
    real_get, real_get_many = cache.get, cache.get_many
    monkeypatch.setattr(cache, "get", lambda *a, **k: reads.append(a) or real_get(*a, **k))
    monkeypatch.setattr(
        cache, "get_many", lambda *a, **k: reads.append(a) or real_get_many(*a, **k)
    )
    with django_assert_num_queries(0):
        response = client.get(URL, {"section": "", "limit": 5}, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.headers["ETag"] == etag
    assert len(reads) == 1


def test_a_new_reader_gets_the_answer_already_given_without_a_query(
    client, django_assert_num_queries
):
    FeedItemFactory(headline="Breaking")
    first = client.get(URL, {"limit": 5})
    with django_assert_num_queries(0):
        again = client.get(URL, {"limit": 5})
    assert again.status_code == 200
    assert again.content == first.content and again.headers["ETag"] == first.headers["ETag"]


def test_a_kept_answer_is_not_given_to_another_question_or_after_a_change(
    client, django_capture_on_commit_callbacks
):
    item = FeedItemFactory(headline="First")
    assert client.get(URL, {"limit": 5}).json()["items"][0]["headline"] == "First"
    assert client.get(URL, {"limit": 1}).json()["items"][0]["headline"] == "First"
    with django_capture_on_commit_callbacks(execute=True):
        item.headline = "Corrected"
        item.save()
    assert client.get(URL, {"limit": 5}).json()["items"][0]["headline"] == "Corrected"


def test_any_change_to_an_item_ends_the_304s(client, django_capture_on_commit_callbacks):
    item = FeedItemFactory()
    etag = client.get(URL).headers["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        item.headline = "Corrected"
        item.save()
    response = client.get(URL, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response.json()["items"][0]["headline"] == "Corrected"


def test_etag_of_one_query_does_not_answer_another(client):
    FeedItemFactory()
    etag = client.get(URL, {"limit": 1}).headers["ETag"]
    assert client.get(URL, {"limit": 2}, headers={"if-none-match": etag}).status_code == 200


def test_since_gives_new_and_edited_items_and_the_ids_removed(client, time_machine):
    time_machine.move_to("2024-01-21 05:00:00+00:00", tick=False)
    kept = FeedItemFactory(headline="Kept", published_at=minutes_ago(60))
    edited = FeedItemFactory(headline="Edited", published_at=minutes_ago(50))
    gone = FeedItemFactory(headline="Gone", published_at=minutes_ago(40))
    scheduled = FeedItemFactory(headline="Due", published_at=timezone.now() + timedelta(minutes=2))
    since = timezone.now().isoformat()
    time_machine.shift(timedelta(minutes=5))
    edited.summary = "New facts."
    edited.save()
    gone_id = gone.pk
    gone.delete()
    new = FeedItemFactory(headline="New", published_at=timezone.now())
    data = client.get(URL, {"since": since}).json()
    assert [item["headline"] for item in data["items"]] == ["New", "Due", "Edited"]
    assert data["removed"] == [gone_id]
    assert kept.pk not in data["removed"] and {new.pk, scheduled.pk}.isdisjoint(data["removed"])


def test_section_filter_keeps_one_sections_items(client):
    ukraine = SectionFactory(name="Ukraine news")
    FeedItemFactory(headline="In Ukraine news", section=ukraine)
    FeedItemFactory(headline="Elsewhere", section=SectionFactory(name="Business"))
    FeedItemFactory(headline="No section")
    data = client.get(URL, {"section": "ukraine-news"}).json()
    assert [item["headline"] for item in data["items"]] == ["In Ukraine news"]


def test_next_link_pages_by_keyset_through_every_item(client, django_assert_max_num_queries):
    moment = timezone.now() - timedelta(hours=1)
    # Several items share a timestamp, so the id must break the ties.
    for n in range(25):
        FeedItemFactory(headline=f"Item {n}", published_at=moment - timedelta(minutes=n // 3))
    first = client.get(URL).json()
    assert len(first["items"]) == 20
    with django_assert_max_num_queries(3) as queries:
        second = client.get(first["next"]).json()
    sql = " ".join(query["sql"].upper() for query in queries.captured_queries)
    assert "OFFSET" not in sql and "COUNT(" not in sql
    assert second["next"] is None
    ids = [item["id"] for item in first["items"] + second["items"]]
    expected = list(FeedItem.objects.order_by("-published_at", "-id").values_list("id", flat=True))
    assert ids == expected


def test_limit_sets_how_many_items_come(client):
    for _ in range(4):
        FeedItemFactory()
    data = client.get(URL, {"limit": 3}).json()
    assert len(data["items"]) == 3
    assert "limit=3" in data["next"] and "before=" in data["next"]


def test_a_page_holding_the_last_items_exactly_has_no_next_link(client):
    for _ in range(3):
        FeedItemFactory()

    assert client.get(URL, {"limit": 3}).json()["next"] is None


def test_at_most_five_hundred_removed_ids_come_in_one_answer(client):
    from feed.models import FeedRemoval

    FeedRemoval.objects.bulk_create(FeedRemoval(item_id=pk) for pk in range(1, 502))

    removed = client.get(URL, {"since": minutes_ago(5).isoformat()}).json()["removed"]

    assert len(removed) == 500


def test_limit_may_be_one_hundred_at_most(client):
    FeedItemFactory()

    assert client.get(URL, {"limit": "100"}).status_code == 200
    assert client.get(URL, {"limit": "101"}).status_code == 400


@pytest.mark.parametrize(
    ("since", "status"),
    [
        ("0001-06-01T00:00:00+00:00", 400),
        ("0002-01-01T00:00:00+00:00", 200),
        ("9998-06-01T00:00:00+00:00", 200),
        ("9999-06-01T00:00:00+00:00", 400),
    ],
)
def test_since_takes_the_years_2_to_9998(client, since, status):
    assert client.get(URL, {"since": since}).status_code == status


@pytest.mark.parametrize(
    "before", ["+1705814040000000-42", "1705814040000000-+42", "1705814040000000-4\u00b3"]
)
def test_a_position_is_digits_a_dash_and_digits_and_nothing_else(client, before):
    FeedItemFactory()

    response = client.get(URL, {"before": before})

    assert response.status_code == 400
    assert list(response.json()["parameters"]) == ["before"]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"since": "yesterday"}, "since"),
        ({"since": "2024-13-45T00:00:00Z"}, "since"),
        ({"since": "0001-01-01"}, "since"),
        ({"since": "0001-01-01T00:00:00+05:00"}, "since"),
        ({"since": "9999-12-31T23:59:59-12:00"}, "since"),
        ({"section": "no-such-section"}, "section"),
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"limit": "2.5"}, "limit"),
        ({"before": "not-a-position"}, "before"),
        ({"after": "2024-01-21T07:14:00+02:00"}, "after"),
        ({"after": "1705814040000000"}, "after"),
        ({"after": "1705814040000000.1003.1003"}, "after"),
        ({"after": "99999999999999999999.1003"}, "after"),
        ({"after": "1705814040000000.1003" + ".1" * 1001}, "after"),
        ({"before": "99999999999999999999999-1"}, "before"),
        ({"variant": "sidebar"}, "variant"),
    ],
)
def test_a_bad_parameter_gets_a_400_naming_it(client, params, name):
    response = client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert list(body["parameters"]) == [name]
    assert f"{name}:" in body["error"]


def test_poll_interval_comes_from_the_setting_in_every_answer(client, settings):
    settings.FEED_POLL_INTERVAL = 42
    FeedItemFactory()
    first = client.get(URL)
    assert first.json()["poll_interval"] == 42
    assert first.headers["X-Poll-Interval"] == "42"
    again = client.get(URL, headers={"if-none-match": first.headers["ETag"]})
    assert again.status_code == 304 and again.headers["X-Poll-Interval"] == "42"


def test_answers_may_be_kept_briefly_by_a_shared_cache(client, settings):
    settings.FEED_CACHE_MAX_AGE = 3
    cache_control = client.get(URL).headers["Cache-Control"]
    assert "public" in cache_control and "max-age=3" in cache_control


def test_answers_come_with_brotli_and_a_last_modified_that_stands_with_their_etag(
    client, time_machine
):
    start = datetime.fromisoformat("2026-03-02T10:00:00+00:00")
    time_machine.move_to(start, tick=False)
    FeedItemFactory(headline="Air raid alert in Kyiv", published_at=start)
    plain = client.get(URL, headers={"Accept-Encoding": "identity"})
    time_machine.move_to(start + timedelta(seconds=1), tick=False)
    squeezed = client.get(URL, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert squeezed["Content-Encoding"] == "br" and "Accept-Encoding" in squeezed["Vary"]
    assert brotli.decompress(squeezed.content) == plain.content
    assert squeezed["ETag"] == plain["ETag"]
    assert squeezed["Last-Modified"] == plain["Last-Modified"] == "Mon, 02 Mar 2026 10:00:00 GMT"
    by_date = client.get(URL, headers={"If-Modified-Since": plain["Last-Modified"]})
    assert by_date.status_code == 304 and by_date["ETag"] == plain["ETag"]

    time_machine.move_to(start + timedelta(minutes=1), tick=False)
    FeedItemFactory(headline="Power back in Kharkiv", published_at=start + timedelta(minutes=1))
    again = client.get(URL, headers={"If-Modified-Since": plain["Last-Modified"]})
    assert (
        again.status_code == 200 and again.json()["items"][0]["headline"] == "Power back in Kharkiv"
    )
    assert again["ETag"] != plain["ETag"]
    assert again["Last-Modified"] == "Mon, 02 Mar 2026 10:01:00 GMT"


def polled_from_the_start(live_list):
    """The address a live list polls, asked without its `after`: for every item it shows."""
    address = urlsplit(live_list.attributes["data-updates-url"])
    query = [(name, value) for name, value in parse_qsl(address.query) if name != "after"]
    return f"{address.path}?{urlencode(query)}"


@pytest.mark.parametrize("path", ["/feed/", "/"])
def test_each_items_html_is_the_item_as_the_polling_page_draws_it(client, path):
    article = ArticleFactory(headline="The full story")
    FeedItemFactory(headline="Plain", summary="Words & more words.", published_at=minutes_ago(40))
    FeedItemFactory(
        headline="Pinned, with a section and an article",
        summary="**Bold** and [a link](https://example.com/a).",
        section=SectionFactory(name="Ukraine news"),
        article=article,
        pinned=True,
        published_at=minutes_ago(20),
    )
    edited = FeedItemFactory(headline="Edited later", url="https://example.com/b")
    FeedItem.objects.filter(pk=edited.pk).update(
        published_at=minutes_ago(90), created_at=minutes_ago(90)
    )
    live_list = find(parse(client.get(path)), data_feed_live=True)
    data = client.get(polled_from_the_start(live_list)).json()
    assert len(data["items"]) == 3
    for item in data["items"]:
        drawn = find(live_list, "article", data_id=str(item["id"]))
        assert same_html(item["html"], drawn.html), (item["html"], drawn.html)
    assert "Updated" in data["items"][2]["html"]


def test_answers_for_the_feed_page_and_for_the_box_are_kept_apart(client):
    FeedItemFactory(headline="Pinned story", pinned=True)
    box = client.get(URL, {"variant": "compact"})
    page = client.get(URL, {"variant": "page"}, headers={"if-none-match": box.headers["ETag"]})
    assert page.status_code == 200
    assert 'class="feed-label"' in page.json()["items"][0]["html"]
    assert 'class="feed-label"' not in box.json()["items"][0]["html"]
    assert client.get(URL).json()["items"] == page.json()["items"]


def test_article_url_is_null_until_the_scheduled_article_goes_out(
    client, time_machine, settings, django_capture_on_commit_callbacks
):
    settings.FEED_POLL_INTERVAL = 60  # so that no version or answer expires on its own here
    time_machine.move_to("2024-01-21 05:00:00+00:00", tick=False)
    client.get(URL)  # the feed's version exists before the story is scheduled
    with django_capture_on_commit_callbacks(execute=True):
        story = ArticleFactory(
            status=Status.SCHEDULED, published_at=timezone.now() + timedelta(seconds=20)
        )
        FeedItemFactory(headline="Putin to visit Pyongyang", article=story)
    before = client.get(URL).json()["items"][0]
    assert before["article_url"] is None and story.slug not in before["html"]
    time_machine.shift(timedelta(seconds=21))
    after = client.get(URL).json()["items"][0]
    assert after["article_url"] == f"http://127.0.0.1:8000{story.get_absolute_url()}"
    assert f'href="{story.get_absolute_url()}"' in after["html"]


@pytest.mark.parametrize("take_down", ["unpublish", "delete"])
def test_publishing_or_taking_down_a_linked_article_changes_the_answer(
    client, django_capture_on_commit_callbacks, take_down
):
    story = ArticleFactory(status=Status.DRAFT, published_at=None)
    FeedItemFactory(article=story)
    draft = client.get(URL)
    assert draft.json()["items"][0]["article_url"] is None
    with django_capture_on_commit_callbacks(execute=True):
        story.status = Status.PUBLISHED
        story.save()
    published = client.get(URL, headers={"if-none-match": draft.headers["ETag"]})
    assert published.status_code == 200
    assert published.json()["items"][0]["article_url"].endswith(story.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        if take_down == "delete":
            story.delete()
        else:
            story.status = Status.UNPUBLISHED
            story.save()
    gone = client.get(URL, headers={"if-none-match": published.headers["ETag"]})
    assert gone.status_code == 200
    assert gone.json()["items"][0]["article_url"] is None
    assert story.slug not in gone.json()["items"][0]["html"]


def test_renaming_a_section_changes_the_answer(client, django_capture_on_commit_callbacks):
    section = SectionFactory(name="Ukraine news")
    FeedItemFactory(section=section)
    first = client.get(URL)
    with django_capture_on_commit_callbacks(execute=True):
        section.name = "War in Ukraine"
        section.save()
    again = client.get(URL, headers={"if-none-match": first.headers["ETag"]})
    assert again.status_code == 200
    assert "War in Ukraine" in again.json()["items"][0]["html"]
