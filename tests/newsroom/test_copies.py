"""Each server process's own copies of the page cache (newsroom/copies.py): sent with no call
to Redis, and never once Redis has told of a change, or could not tell.

Each test runs its own redis-server (tests/newsroom/conftest.py); another server's writes are
made here as that server would make them, on the same Redis.
"""

import time

import pytest
import redis

from articles.models import Article
from newsroom import copies, freshness
from tests.factories import ArticleFactory
from tests.newsroom.conftest import RETRY_AFTER

pytestmark = pytest.mark.django_db


@pytest.fixture
def copied(settings, redis_server):
    settings.PAGE_COPIES = 10
    return redis_server


@pytest.fixture
def article():
    return ArticleFactory(headline="Kyiv restores power to the left bank")


def commands(redis):
    """How many commands the Redis server has answered, before this question."""
    return redis.info("stats")["total_commands_processed"]


def read(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def written_elsewhere(article, headline):
    """The headline changed and the page version renewed by another server: the database
    written and the token set, heard of here only through what that server publishes."""
    Article.objects.filter(pk=article.pk).update(headline=headline)
    state = (f"{time.time_ns():032x}", None, time.time())
    from django.core.cache import cache

    cache.set(freshness.PAGES.key, state, None)


def test_a_page_read_again_is_sent_from_the_process_copy_with_no_call_to_redis(
    client, copied, article
):
    first = client.get(article.get_absolute_url())
    read(client, article)
    redis = copied.client()
    before = commands(redis)
    again = [client.get(article.get_absolute_url()) for _ in range(5)]
    assert commands(redis) == before + 1  # the question above, nothing else
    for response in again:
        assert response.content == first.content
        assert dict(response.headers) == dict(first.headers)


def test_the_poll_of_an_open_feed_page_is_answered_304_with_no_call_to_redis(client, copied):
    answer = client.get("/feed/updates.json")
    etag = answer.headers["ETag"]
    client.get("/feed/updates.json", headers={"If-None-Match": etag})
    redis = copied.client()
    before = commands(redis)
    polls = [client.get("/feed/updates.json", headers={"If-None-Match": etag}) for _ in range(5)]
    assert commands(redis) == before + 1
    assert {poll.status_code for poll in polls} == {304}


def test_an_edit_here_is_on_the_next_request(client, copied, article):
    read(client, article)
    read(client, article)
    article.headline = "Kyiv restores power to both banks"
    article.save()
    assert "Kyiv restores power to both banks" in read(client, article)


def test_an_edit_on_another_server_is_on_the_next_request_once_it_is_told(client, copied, article):
    read(client, article)
    read(client, article)
    written_elsewhere(article, "Kyiv restores power to both banks")
    copied.client().publish(copies.of().channel, freshness.PAGES.key)
    assert "Kyiv restores power to both banks" in read(client, article)


def test_a_change_told_in_no_message_shows_within_a_second(client, copied, article, monkeypatch):
    monkeypatch.setattr(copies, "TRUST_SECONDS", 0.2)
    read(client, article)
    read(client, article)
    written_elsewhere(article, "Kyiv restores power to both banks")
    assert "Kyiv restores power to the left bank" in read(client, article)
    time.sleep(0.25)
    assert "Kyiv restores power to both banks" in read(client, article)


def test_emptying_the_cache_drops_every_copy(client, copied, article):
    read(client, article)
    read(client, article)
    Article.objects.filter(pk=article.pk).update(headline="Kyiv restores power to both banks")
    from django.core.cache import cache

    cache.clear()
    assert "Kyiv restores power to both banks" in read(client, article)


def test_emptying_the_cache_from_another_server_drops_every_copy(client, copied, article):
    read(client, article)
    read(client, article)
    Article.objects.filter(pk=article.pk).update(headline="Kyiv restores power to both banks")
    copied.client().flushdb()
    copied.client().publish(copies.of().channel, copies.CLEARED)
    assert "Kyiv restores power to both banks" in read(client, article)


def test_a_copy_lasts_no_longer_than_the_page_cache_keeps_its_page(
    client, copied, article, settings, monkeypatch
):
    monkeypatch.setattr(copies, "TRUST_SECONDS", 10)
    settings.PAGE_CACHE_SECONDS = 1
    read(client, article)
    read(client, article)
    Article.objects.filter(pk=article.pk).update(headline="Kyiv restores power to both banks")
    time.sleep(1.1)
    assert "Kyiv restores power to both banks" in read(client, article)


def test_a_subscription_redis_does_not_answer_is_not_trusted(copied):
    copied.pause()
    started = time.monotonic()
    assert copies.usable() is None
    assert time.monotonic() - started < 1
    copied.resume()


def test_a_subscription_redis_does_not_confirm_is_not_trusted(copied, monkeypatch):
    monkeypatch.setattr(redis.client.PubSub, "get_message", lambda *args, **kwargs: None)
    assert copies.usable() is None


def test_a_change_made_while_redis_was_away_is_on_the_first_page_after(client, copied, article):
    read(client, article)
    read(client, article)
    copied.stop()
    article.headline = "Kyiv restores power to both banks"
    article.save()  # the new token is lost with Redis, and so is its message
    copied.start()
    assert "Kyiv restores power to both banks" in read(client, article)
    time.sleep(RETRY_AFTER)
    read(client, article)
    assert copies.usable() is not None  # subscribed again


def test_while_redis_is_down_pages_come_from_the_database(client, copied, article):
    read(client, article)
    copied.stop()
    assert "Kyiv restores power to the left bank" in read(client, article)
    assert copies.usable() is None


def test_a_forked_worker_keeps_nothing_of_its_parent(client, copied, article, monkeypatch):
    read(client, article)
    read(client, article)
    kept = copies.of()
    assert kept.pages
    child = kept.pid + 1
    monkeypatch.setattr(copies.os, "getpid", lambda: child)
    assert kept.usable()
    assert not kept.pages and not kept.tokens
    assert kept.pid == child


def test_a_process_keeps_at_most_page_copies_pages(client, copied, settings):
    settings.PAGE_COPIES = 2
    articles = ArticleFactory.create_batch(3)
    for each in articles:
        read(client, each)
    assert len(copies.of().pages) == 2


def test_without_redis_nothing_is_copied(client, settings, article):
    settings.PAGE_COPIES = 10
    read(client, article)
    assert copies.of() is None
