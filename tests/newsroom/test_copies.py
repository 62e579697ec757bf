"""Each server process's own copies of the page cache (newsroom/copies.py): sent with no call
to Redis, and never once Redis has told of a change, or could not tell.

Each test runs its own redis-server (tests/newsroom/conftest.py); another server's writes are
made here as that server would make them, on the same Redis.
"""

import time

import pytest
import redis
from django.core import signals
from django.db import close_old_connections

from articles.models import Article
from newsroom import copies, freshness
from tests.factories import ArticleFactory
from tests.newsroom.conftest import RETRY_AFTER

pytestmark = pytest.mark.django_db


@pytest.fixture
def copied(settings, redis_server):
    settings.PAGE_COPIES = 50
    return redis_server


@pytest.fixture
def trusted(monkeypatch):
    """Copies of tokens trusted for a minute, so that a slow machine cannot make a test that
    counts calls to Redis see a copy expire."""
    monkeypatch.setattr(copies, "TRUST_SECONDS", 60)


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


@pytest.mark.usefixtures("trusted")
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


@pytest.mark.usefixtures("trusted")
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


@pytest.mark.usefixtures("trusted")
def test_a_message_behind_another_kind_of_answer_on_the_subscription_is_still_read(
    client, copied, article
):
    read(client, article)
    read(client, article)
    # A confirmation (not a message) reaches the socket first, the change's message after it.
    copies.of().subscription.subscribe(copies.of().channel + ":other")
    written_elsewhere(article, "Kyiv restores power to both banks")
    copied.client().publish(copies.of().channel, freshness.PAGES.key)
    assert "Kyiv restores power to both banks" in read(client, article)


def test_past_page_copies_the_oldest_copy_goes_first(copied, settings):
    settings.PAGE_COPIES = 2
    kept = copies.of()
    for key in ("first", "second", "third"):
        kept.keep_entry(key, key, 60)
    assert [kept.entry(key) for key in ("first", "second", "third")] == [None, "second", "third"]


def test_a_change_told_in_no_message_shows_once_the_copies_are_no_longer_trusted(
    client, copied, article, monkeypatch
):
    monkeypatch.setattr(copies, "TRUST_SECONDS", 5)  # room for a slow machine
    read(client, article)
    read(client, article)
    written_elsewhere(article, "Kyiv restores power to both banks")
    assert "Kyiv restores power to the left bank" in read(client, article)
    kept = copies.of()
    for key, (state, read_at) in list(kept.tokens.items()):
        kept.tokens[key] = (state, read_at - 5.1)  # read longer ago than they are trusted
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


def test_a_copy_lasts_no_longer_than_the_cache_keeps_its_page_or_fragment(
    client, copied, article, settings, monkeypatch
):
    monkeypatch.setattr(copies, "TRUST_SECONDS", 10)
    monkeypatch.setattr(freshness, "FRAGMENT_SECONDS", 1)
    settings.PAGE_CACHE_SECONDS = 1
    read(client, article)
    read(client, article)
    Article.objects.filter(pk=article.pk).update(headline="Kyiv restores power to both banks")
    time.sleep(1.1)
    assert "Kyiv restores power to both banks" in read(client, article)


def test_a_subscription_redis_does_not_answer_is_not_trusted(copied):
    copied.pause()
    assert copies.usable() is None
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
    assert kept.entries
    child = kept.pid + 1
    monkeypatch.setattr(copies.os, "getpid", lambda: child)
    assert kept.usable()
    assert not kept.entries and not kept.tokens
    assert kept.pid == child


def test_a_process_keeps_at_most_page_copies_pages(client, copied, settings):
    settings.PAGE_COPIES = 2
    articles = ArticleFactory.create_batch(3)
    for each in articles:
        read(client, each)
    assert len(copies.of().entries) == 2


def test_without_redis_nothing_is_copied(client, settings, article):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGE_COPIES = 10
    read(client, article)
    assert copies.of() is None


def wsgi_answer(path, **headers):
    """(status, headers, body) of the WSGI entry point (newsroom/wsgi.py) for a GET of `path`."""
    from django.test import RequestFactory

    from newsroom import wsgi

    environ = RequestFactory()._base_environ(PATH_INFO=path, **headers)
    started = {}

    def start_response(status, response_headers):
        started.update(status=status, headers=dict(response_headers))

    # As Django's test client does: the test's database connection, inside the test's
    # transaction, must outlive the request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(wsgi.application(environ, start_response))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return started["status"], started["headers"], body


def asgi_answer(path, headers=(), query=b""):
    """(status, headers, body) of the ASGI entry point (newsroom/asgi.py) for a GET of `path`."""
    import asyncio

    from newsroom import asgi

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 40000),
        "headers": [(b"host", b"testserver"), *headers],
    }
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(asgi.application(scope, receive, send))
    start, *bodies = sent
    headers = {name.decode(): value.decode() for name, value in start["headers"]}
    return start["status"], headers, b"".join(part.get("body", b"") for part in bodies)


class DjangoReached(Exception):
    pass


@pytest.fixture
def django_not_reached(monkeypatch):
    """Django's request handling, behind the entry points, made to fail if it is reached."""
    from newsroom import asgi, wsgi

    def reached(*args):
        raise DjangoReached

    monkeypatch.setattr(wsgi, "django_application", reached)
    monkeypatch.setattr(asgi, "django_application", reached)


@pytest.mark.usefixtures("django_not_reached")
def test_a_kept_page_leaves_both_entry_points_before_django_as_django_sends_it(
    client, copied, article
):
    client.get(article.get_absolute_url(), headers={"Accept-Encoding": "gzip"})
    sent = client.get(article.get_absolute_url(), headers={"Accept-Encoding": "gzip"})
    assert sent.headers["Content-Encoding"] == "gzip"
    status, headers, body = wsgi_answer(article.get_absolute_url(), HTTP_ACCEPT_ENCODING="gzip")
    assert (status, headers, body) == ("200 OK", dict(sent.headers), sent.content)
    status, headers, body = asgi_answer(article.get_absolute_url(), [(b"accept-encoding", b"gzip")])
    assert (status, headers, body) == (200, dict(sent.headers), sent.content)


@pytest.mark.usefixtures("django_not_reached")
def test_a_current_poll_is_answered_304_by_both_entry_points_before_django(client, copied):
    etag = client.get("/feed/updates.json").headers["ETag"]
    sent = client.get("/feed/updates.json", headers={"If-None-Match": etag})
    assert sent.status_code == 304
    status, headers, _ = wsgi_answer("/feed/updates.json", HTTP_IF_NONE_MATCH=etag)
    assert (status, headers) == ("304 Not Modified", dict(sent.headers))
    status, headers, _ = asgi_answer("/feed/updates.json", [(b"if-none-match", etag.encode())])
    assert (status, headers) == (304, dict(sent.headers))


@pytest.mark.usefixtures("django_not_reached")
@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_HOST": "elsewhere.example"},
        {"HTTP_IF_NONE_MATCH": '"a-page-of-another-day"', "PATH_INFO": "/feed/updates.json"},
    ],
    ids=["a session cookie", "a Host not allowed", "a poll not current"],
)
def test_what_the_copies_cannot_answer_goes_to_django(client, copied, article, headers):
    read(client, article)
    read(client, article)
    with pytest.raises(DjangoReached):
        wsgi_answer(headers.pop("PATH_INFO", article.get_absolute_url()), **headers)


@pytest.mark.usefixtures("django_not_reached")
def test_a_page_is_not_sent_by_the_entry_points_once_it_is_stale(client, copied, article):
    read(client, article)
    read(client, article)
    article.headline = "Kyiv restores power to both banks"
    article.save()
    freshness.PAGES.current()  # the new token, read and kept as a request for another page would
    with pytest.raises(DjangoReached):
        wsgi_answer(article.get_absolute_url())


@pytest.mark.usefixtures("django_not_reached")
def test_the_read_that_writes_the_batch_of_reads_goes_to_django(
    client, copied, article, monkeypatch
):
    from articles import popularity

    read(client, article)
    read(client, article)
    monkeypatch.setattr(popularity, "_pending_total", popularity.FLUSH_EVERY - 1)
    with pytest.raises(DjangoReached):
        wsgi_answer(article.get_absolute_url())
    monkeypatch.setattr(popularity, "_pending_total", popularity.FLUSH_EVERY - 2)
    wsgi_answer(article.get_absolute_url())


def test_the_event_loops_look_at_the_copies_never_waits_for_a_thread_holding_them(
    client, copied, article
):
    read(client, article)
    read(client, article)
    kept = copies.of()
    with kept.lock:  # a view's thread subscribing, say
        assert copies.usable(subscribe=False) is None
    assert copies.usable(subscribe=False) is kept


def seen_key(article):
    from django.test import RequestFactory

    return freshness.page_key(RequestFactory().get(article.get_absolute_url())) + ":seen"


def test_a_pages_date_set_by_another_server_is_heard_before_the_next_page(
    client, copied, article, settings
):
    from django.core.cache import cache
    from django.utils.http import parse_http_date

    settings.PAGE_CACHE_SECONDS = 0  # every request makes the page and dates it
    first = client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())
    dated = parse_http_date(first.headers["Last-Modified"])
    # Another server made other content at this address a minute later.
    cache.set(seen_key(article), ('W/"other content"', dated + 60), freshness.SEEN_SECONDS)
    copied.client().publish(copies.of().channel, seen_key(article))
    again = client.get(article.get_absolute_url())
    assert parse_http_date(again.headers["Last-Modified"]) == dated + 61


def test_a_new_date_for_a_page_is_told_to_every_server(client, copied, article, settings):
    settings.PAGE_CACHE_SECONDS = 0
    listening = copied.client().pubsub()
    listening.subscribe(copies.of().channel)
    listening.get_message(timeout=1)  # the subscription's confirmation
    client.get(article.get_absolute_url())
    told = []
    while message := listening.get_message(timeout=0.2):
        told.append(message["data"].decode())
    assert seen_key(article) in told
    listening.close()


@pytest.mark.usefixtures("trusted")
def test_with_no_page_kept_a_page_made_again_calls_redis_for_nothing(
    client, copied, article, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    for address in (article.get_absolute_url(), "/") * 3:
        client.get(address)  # made, dated, and its date kept
    redis = copied.client()
    before = commands(redis)
    for address in (article.get_absolute_url(), "/"):
        assert client.get(address).status_code == 200
    assert commands(redis) == before + 1


@pytest.mark.usefixtures("django_not_reached")
def test_a_read_counted_by_the_entry_points_never_writes_the_database(
    client, copied, article, monkeypatch
):
    from articles import popularity

    read(client, article)
    read(client, article)
    # Another thread's read makes the batch due between the entry point's look and its count.
    answers = iter([False, True])
    monkeypatch.setattr(popularity, "flush_due", lambda: next(answers))

    def written():
        raise AssertionError("the database was written from an entry point")

    monkeypatch.setattr(popularity, "flush", written)
    status, _, _ = wsgi_answer(article.get_absolute_url())
    assert status == "200 OK"
    assert sum(popularity._pending.values()) == 3  # the two reads above, and this one


@pytest.mark.parametrize(
    "path", ["/news/київ/", "/sections/économie/", "/api/articles/\U0006f9f3/"]
)
def test_a_path_of_any_characters_the_copies_cannot_answer_reaches_django_whole(
    client, copied, path
):
    # A WSGI server hands the path's UTF-8 bytes as Latin-1 characters.
    status, _, _ = wsgi_answer(path.encode().decode("latin-1"))
    assert status == "404 Not Found"


def test_a_query_string_not_in_utf8_reaches_django_through_the_asgi_entry_point(
    client, copied, article
):
    read(client, article)
    read(client, article)
    status, _, _ = asgi_answer(article.get_absolute_url(), query=b"q=\xff")
    assert status == 400


def age_token_copies(seconds):
    kept = copies.of()
    for key, (state, read_at) in list(kept.tokens.items()):
        kept.tokens[key] = (state, read_at - seconds)


def test_a_token_copy_is_trusted_for_one_second(client, copied, article):
    read(client, article)
    read(client, article)
    written_elsewhere(article, "Kyiv restores power to both banks")
    age_token_copies(0.9)
    assert "Kyiv restores power to the left bank" in read(client, article)
    age_token_copies(0.2)  # 1.1 s since they were read
    assert "Kyiv restores power to both banks" in read(client, article)


def test_a_subscription_that_breaks_is_not_trusted_from_the_first_look_after(
    client, copied, article
):
    read(client, article)
    assert copies.usable() is not None
    copied.stop()
    assert copies.usable() is None


def test_after_a_failed_subscription_the_next_try_waits_for_the_caches_retry_time(
    client, copied, article, monkeypatch
):
    read(client, article)
    kept = copies.of()
    monkeypatch.setattr(kept.cache.breaker, "retry_after", 60)
    copied.stop()
    assert copies.usable() is None  # the subscription broke
    kept.next_try = 0.0
    assert copies.usable() is None  # subscribing again failed: not before a minute
    copied.start()
    assert copies.usable() is None
    kept.next_try = 0.0  # the minute has passed
    assert copies.usable() is kept


@pytest.mark.usefixtures("trusted")
def test_a_page_another_server_made_is_read_from_redis_once_then_from_the_copies(
    client, copied, article
):
    read(client, article)
    copies.of().entries.clear()  # as if another server had made and kept the page
    redis = copied.client()
    before = commands(redis)
    read(client, article)
    read(client, article)
    assert commands(redis) == before + 2  # one read of Redis, and the question above


def test_a_token_copy_gone_with_the_page_still_kept_is_read_again_not_renewed(
    client, copied, article
):
    from django.core.cache import cache

    read(client, article)
    read(client, article)
    version = cache.get(freshness.PAGES.key)
    copies.of().tokens.clear()  # told of a write that left the same token, say
    assert "Kyiv restores power to the left bank" in read(client, article)
    assert cache.get(freshness.PAGES.key) == version


def test_a_subscription_broken_and_redis_back_at_once_is_not_silently_made_again(
    client, copied, article
):
    read(client, article)
    assert copies.usable() is not None
    copied.stop()
    copied.start()  # what was published meanwhile is lost
    assert copies.usable() is None


def test_values_no_longer_trusted_are_let_go_past_page_copies(client, copied, article, settings):
    settings.PAGE_COPIES = 3
    read(client, article)
    kept = copies.of()
    for number in range(3):
        kept.keep_token(f"seen:{number}", ("etag", number))
    age_token_copies(1.5)
    kept.keep_token("seen:new", ("etag", 9))
    assert list(kept.tokens) == ["seen:new"]
    kept.keep_token("seen:newer", ("etag", 10))
    assert list(kept.tokens) == ["seen:new", "seen:newer"]
