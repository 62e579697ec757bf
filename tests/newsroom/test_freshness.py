"""When pages go stale (newsroom/freshness.py): the moments and durations its rules name.

Each duration is written out in seconds here, not read from the module, so that a test fails
when the rule's number changes.
"""

from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Status
from newsroom import freshness
from tests.factories import ArticleFactory, FeedItemFactory, TagFactory

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2024-01-21T05:00:00+00:00")


def text_of(client, address):
    response = client.get(address)
    assert response.status_code == 200
    return response.content.decode()


def another_reader_is_rendering(rf, address):
    _, tokens, _ = freshness.read_page(rf.get(address))
    cache.add(freshness.lock_key(rf.get(address), tokens), 1)


def test_for_two_seconds_after_an_edit_readers_get_the_page_before_while_one_renders_it(
    client, rf, time_machine
):
    time_machine.move_to(START, tick=False)
    article = ArticleFactory(headline="Before the edit")
    address = article.get_absolute_url()
    assert "Before the edit" in text_of(client, address)
    article.headline = "After the edit"
    article.save()
    another_reader_is_rendering(rf, address)

    time_machine.move_to(START + timedelta(seconds=1.5), tick=False)
    assert "Before the edit" in text_of(client, address)
    time_machine.move_to(START + timedelta(seconds=2), tick=False)
    assert "Before the edit" in text_of(client, address)
    time_machine.move_to(START + timedelta(seconds=2.01), tick=False)
    assert "After the edit" in text_of(client, address)


def test_a_scheduled_article_is_on_cached_pages_at_the_very_second_it_is_due(client, time_machine):
    time_machine.move_to(START - timedelta(seconds=5), tick=False)
    ArticleFactory(headline="Out at five", status=Status.SCHEDULED, published_at=START)
    assert "Out at five" not in text_of(client, "/")
    time_machine.move_to(START, tick=False)
    assert "Out at five" in text_of(client, "/")


def test_saves_within_held_leave_cached_pages_until_everything_changed(client):
    assert "Written in bulk" not in text_of(client, "/")
    with freshness.held():
        ArticleFactory(headline="Written in bulk")
    assert "Written in bulk" not in text_of(client, "/"), "the cached home page went stale"
    freshness.everything_changed()
    assert "Written in bulk" in text_of(client, "/")


def test_saves_after_a_held_block_make_pages_stale_again(client):
    with freshness.held():
        pass
    text_of(client, "/")
    ArticleFactory(headline="Saved after the import")
    assert "Saved after the import" in text_of(client, "/")


@pytest.fixture
def local_cache(settings):
    """A cache whose entries expire by the clock the tests move (Redis keeps its own)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "freshness-tests",
        }
    }
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("later", "kept"),
    [(timedelta(hours=23, minutes=59), True), (timedelta(days=1, seconds=1), False)],
)
def test_a_page_made_again_keeps_its_date_for_a_day_of_revalidations(
    client, time_machine, local_cache, later, kept
):
    time_machine.move_to(START, tick=False)
    ArticleFactory(headline="Power returns to Kharkiv", published_at=START - timedelta(days=2))
    first = client.get("/sections/")
    time_machine.move_to(START + later, tick=False)
    again = client.get("/sections/")
    assert again["ETag"] == first["ETag"], "the page's content changed: pick another page"
    assert (again["Last-Modified"] == first["Last-Modified"]) is kept
    if not kept:
        assert again["Last-Modified"] == "Mon, 22 Jan 2024 05:00:01 GMT"


def test_a_token_state_of_another_shape_counts_as_missing(client):
    text_of(client, "/")
    ArticleFactory(headline="After the upgrade", published_at=timezone.now())
    cache.set(freshness.PAGES.key, ("old-token", None))  # a (token, due) pair: not this shape
    assert "After the upgrade" in text_of(client, "/")


def test_a_page_whose_content_changes_twice_in_a_second_gets_a_later_date_the_second_time(
    client, time_machine
):
    time_machine.move_to(START, tick=False)
    ArticleFactory(headline="Power returns to Kharkiv")
    first = client.get("/sections/")
    ArticleFactory(headline="Trains run to Odesa", section__name="Transport")
    again = client.get("/sections/")
    assert again["ETag"] != first["ETag"]
    assert first["Last-Modified"] == "Sun, 21 Jan 2024 05:00:00 GMT"
    assert again["Last-Modified"] == "Sun, 21 Jan 2024 05:00:01 GMT"


def test_a_tag_or_a_related_article_added_alone_shows_on_the_cached_page_at_once(client):
    article = ArticleFactory(headline="Kyiv metro runs")
    tag, other = TagFactory(name="Night trains"), ArticleFactory(headline="Odesa port reopens")
    address = article.get_absolute_url()
    assert "Night trains" not in text_of(client, address)
    article.tags.add(tag)
    assert "Night trains" in text_of(client, address)
    article.related_articles.add(other)
    assert "Odesa port reopens" in text_of(client, address)


def test_an_address_that_is_no_page_is_answered_not_found_with_the_sites_headers(client):
    answer = client.get("/no-such-page/")
    assert answer.status_code == 404
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert "default-src" in answer["Content-Security-Policy"]


def test_a_poll_whose_copy_is_current_is_answered_before_the_view(client, monkeypatch):
    from feed.views import UpdatesView

    FeedItemFactory(headline="Air raid alert ends")
    first = client.get("/feed/updates.json")

    def refuse(*args, **kwargs):
        raise AssertionError("the view ran for a poll the middleware could answer")

    monkeypatch.setattr(UpdatesView, "get", refuse)
    again = client.get("/feed/updates.json", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_a_new_feed_item_leaves_the_rss_feed_cached(client, django_assert_num_queries):
    ArticleFactory(headline="Kyiv metro runs")
    client.get("/rss/")
    FeedItemFactory(headline="Air raid alert ends")
    with django_assert_num_queries(0):
        assert client.get("/rss/").status_code == 200


def test_a_refused_question_is_answered_without_the_caching_headers_of_pages(client):
    answer = client.get("/archive/?before=not-a-position")
    assert answer.status_code == 400
    assert not answer.has_header("ETag")
    assert "public" not in answer.get("Cache-Control", "")
