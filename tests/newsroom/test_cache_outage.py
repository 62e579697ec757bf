"""Redis is a cache, not a dependency: readers and editors carry on while it is down or hung.

Each test runs its own redis-server (tests/newsroom/conftest.py), with 100 ms timeouts and a
pause of RETRY_AFTER seconds after a failure, then stops or freezes it.
"""

import logging
import time

import pytest

from tests.factories import ArticleFactory, AuthorFactory, FeedItemFactory, change_form
from tests.newsroom.conftest import RETRY_AFTER

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    article = ArticleFactory(
        headline="Kyiv restores power to the left bank", authors=[AuthorFactory(name="Olena Koval")]
    )
    FeedItemFactory(headline="Air raid alert ends in Kyiv")
    return article


def reader_pages(article):
    return {
        "/": article.headline,
        article.get_absolute_url(): "Second paragraph of the story.",
        "/archive/": article.headline,
        "/feed/": "Air raid alert ends in Kyiv",
        "/feed/updates.json": "Air raid alert ends in Kyiv",
    }


def assert_pages_answer_quickly(client, article):
    """Every reader page answers whole (how fast is for bench/load_bench.py, not a test)."""
    for url, text in reader_pages(article).items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url


def test_with_redis_stopped_every_reader_page_comes_from_the_database(
    client, newsroom, redis_server
):
    assert_pages_answer_quickly(client, newsroom)
    redis_server.stop()
    assert_pages_answer_quickly(client, newsroom)
    assert_pages_answer_quickly(client, newsroom)


def test_with_redis_hung_pages_do_not_wait_for_it(client, newsroom, redis_server, monkeypatch):
    from newsroom import cache as newsroom_cache

    assert_pages_answer_quickly(client, newsroom)
    redis_server.pause()
    waits = []
    failed = newsroom_cache.Breaker.failed
    monkeypatch.setattr(
        newsroom_cache.Breaker,
        "failed",
        lambda self, error: (waits.append(error), failed(self, error))[1],
    )
    started = time.monotonic()
    for _ in range(5):
        assert_pages_answer_quickly(client, newsroom)
    # Twenty-five pages, each making several cache calls, wait on the hung Redis once, then
    # once more each time the breaker lets a call try again (every RETRY_AFTER s): never per call.
    allowed = 1 + int((time.monotonic() - started) / RETRY_AFTER)
    assert 1 <= len(waits) <= allowed, waits


def test_editors_save_articles_and_feed_items_while_redis_is_down(
    editor_client, client, newsroom, redis_server
):
    redis_server.stop()
    data = change_form(
        newsroom, headline="Kyiv restores power to the left bank", body="Power came back at noon."
    )
    response = editor_client.post(f"/admin/articles/article/{newsroom.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    response = editor_client.post(
        "/admin/feed/feeditem/add/",
        {
            "headline": "Metro runs again",
            "summary": "All lines are open.",
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
        },
    )
    assert response.status_code == 302
    assert "Power came back at noon." in client.get(newsroom.get_absolute_url()).content.decode()
    assert "Metro runs again" in client.get("/feed/updates.json").content.decode()


def test_signed_in_editors_stay_signed_in_while_redis_is_down(editor_client, redis_server):
    redis_server.stop()
    response = editor_client.get("/admin/")
    assert response.status_code == 200
    assert response.context["user"].username == "editor"


def test_feed_polls_get_whole_answers_while_redis_is_down_and_304s_once_it_is_back(
    client, newsroom, redis_server
):
    url = "/feed/updates.json"
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304

    redis_server.stop()
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response.json()["items"][0]["headline"] == "Air raid alert ends in Kyiv"

    redis_server.start()
    time.sleep(RETRY_AFTER + 0.05)  # the breaker's pause after a failure
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_caching_resumes_by_itself_when_redis_returns(client, newsroom, redis_server):
    redis_server.pause()
    assert client.get("/").status_code == 200
    redis_server.resume()
    redis_server.client().flushdb()
    time.sleep(RETRY_AFTER + 0.05)
    assert client.get("/").status_code == 200
    assert redis_server.client().keys("*pages:*"), "the home page was not cached again"


def test_an_outage_is_logged_when_it_starts_and_ends_not_on_every_request(
    client, newsroom, redis_server, caplog
):
    caplog.set_level(logging.WARNING, logger="newsroom.cache")
    redis_server.stop()
    for _ in range(10):
        assert client.get("/").status_code == 200
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 1
    assert messages[0].startswith(f"Redis cache {redis_server.url} is not answering")
    redis_server.start()
    time.sleep(RETRY_AFTER + 0.05)
    assert client.get("/").status_code == 200
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 2
    assert messages[1].startswith(f"Redis cache {redis_server.url} answers again")
