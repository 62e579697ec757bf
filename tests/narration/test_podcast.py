"""The podcast feed and the audio files players seek in."""

import os

import feedparser
import pytest
from django.core.files.base import ContentFile

from articles import workflow
from narration import generate
from narration.models import Narration
from newsroom import freshness
from tests import files
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, change_form, change_url
from tests.html import find, parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def narrated(db):
    """Three published articles, two of them narrated, in two sections."""
    war, world = SectionFactory(name="War"), SectionFactory(name="World")
    articles = [
        ArticleFactory(headline="Kyiv metro reopens", section=war, authors=[AuthorFactory()]),
        ArticleFactory(headline="Ports reopen", section=world),
        ArticleFactory(headline="Not read aloud", section=war),
    ]
    for article in articles[:2]:
        assert generate.run(article.pk).result == "made"
    return articles


def podcast(client, path="/audio/rss/"):
    response = client.get(path)
    assert response.status_code == 200
    return feedparser.parse(response.content)


def test_the_podcast_has_one_enclosure_per_narrated_article(client, narrated):
    feed = podcast(client)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    assert feed.feed.image.href == "http://127.0.0.1:8000/static/newsroom/podcast.png"
    assert sorted(entry.title for entry in feed.entries) == ["Kyiv metro reopens", "Ports reopen"]
    for entry in feed.entries:
        narration = Narration.objects.get(article__headline=entry.title)
        [enclosure] = entry.enclosures
        assert enclosure.href == f"http://127.0.0.1:8000/audio/{narration.article.slug}.mp3"
        assert enclosure.type == "audio/mpeg"
        assert int(enclosure.length) == narration.size == len(client_bytes(client, enclosure))
        seconds = round(narration.duration)
        assert entry.itunes_duration == f"0:{seconds // 60:02d}:{seconds % 60:02d}"


def client_bytes(client, enclosure):
    response = client.get(enclosure.href.removeprefix("http://127.0.0.1:8000"))
    return b"".join(response.streaming_content)


def test_a_sections_podcast_has_only_that_section(client, narrated):
    feed = podcast(client, "/audio/war/rss/")
    assert [entry.title for entry in feed.entries] == ["Kyiv metro reopens"]
    assert client.get("/audio/no-such-section/rss/").status_code == 404


def test_an_episode_keeps_its_guid_when_read_again_or_renamed(client, narrated):
    before = {entry.title: entry.id for entry in podcast(client).entries}
    article = narrated[0]
    article.slug = "kyiv-metro-reopens-after-repairs"
    article.save()
    generate.run(article.pk, force=True)
    after = {entry.title: entry.id for entry in podcast(client).entries}
    assert after == before
    assert len(set(after.values())) == 2


def test_an_unpublished_article_leaves_the_podcast(client, narrated):
    workflow.unpublish(article=narrated[0], by=None)
    assert [entry.title for entry in podcast(client).entries] == ["Ports reopen"]


def test_an_uploaded_reading_retires_the_narration_from_the_podcast_and_its_address(
    editor_client, reader, narrated, run_worker, django_capture_on_commit_callbacks
):
    article = narrated[0]
    address = f"/audio/{article.slug}.mp3"
    generated = article.narration.path()
    reading = files.upload("reading.mp3", files.mp3_bytes(), "audio/mpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(change_url(article), change_form(article, audio=reading))
    assert response.status_code == 302, response.context["adminform"].form.errors

    assert [entry.title for entry in podcast(reader).entries] == ["Ports reopen"]
    assert reader.get(address).status_code == 404
    assert not os.path.exists(generated)
    article.refresh_from_db()
    page = parse(reader.get(article.get_absolute_url()))
    assert find(find(page, "div", "player"), "audio").attributes["src"] == article.audio.url

    # Without the upload the article is read aloud again.
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            change_url(article), change_form(article, **{"audio-clear": "on"})
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    run_worker()
    titles = sorted(entry.title for entry in podcast(reader).entries)
    assert titles == ["Kyiv metro reopens", "Ports reopen"]
    assert reader.get(address).status_code == 200


def test_a_range_request_gets_part_of_the_narration(client, narrated):
    url = narrated[0].narration.get_absolute_url()
    whole = b"".join(client.get(url).streaming_content)
    response = client.get(url, HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(whole)}"
    assert response["Accept-Ranges"] == "bytes"
    assert b"".join(response.streaming_content) == whole[100:200]

    tail = client.get(url, HTTP_RANGE="bytes=-50")
    assert tail.status_code == 206 and b"".join(tail.streaming_content) == whole[-50:]
    rest = client.get(url, HTTP_RANGE=f"bytes={len(whole) - 10}-")
    assert b"".join(rest.streaming_content) == whole[-10:]
    past = client.get(url, HTTP_RANGE=f"bytes={len(whole)}-")
    assert past.status_code == 416 and past["Content-Range"] == f"bytes */{len(whole)}"
    assert client.get(url, HTTP_RANGE="bytes=oops").status_code == 200


def test_an_uploaded_audio_file_answers_range_requests_too(client, settings):
    settings.SERVE_MEDIA = True
    article = ArticleFactory()
    article.audio.save("reading.wav", ContentFile(b"RIFF" + bytes(range(256)) * 4), save=True)
    response = client.get(article.audio.url, HTTP_RANGE="bytes=4-7")
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == bytes(range(4))
    assert response["Content-Type"] == "audio/wav"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_missing_narration_is_a_404(client):
    assert client.get("/audio/no-such-article.mp3").status_code == 404


def test_editors_hear_a_narration_readers_no_longer_may(client, editor_client, narrated):
    url = narrated[0].narration.get_absolute_url()
    workflow.unpublish(article=narrated[0], by=None)
    assert editor_client.get(url).status_code == 200
    assert editor_client.get(url)["Cache-Control"] == "private, no-store"
    client.logout()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("episodes", [1, 8])
def test_the_podcast_runs_the_same_queries_however_many_episodes(
    client, django_assert_max_num_queries, episodes
):
    for number in range(episodes):
        article = ArticleFactory(authors=[AuthorFactory(), AuthorFactory()])
        Narration.objects.create(
            article=article,
            state="ready",
            file_name=f"{number}.mp3",
            content_type="audio/mpeg",
            size=1000,
            duration=61,
        )
    freshness.PAGES.current(), freshness.FEED.current()  # made once, by the first reader
    with django_assert_max_num_queries(3):
        feed = podcast(client)
    assert len(feed.entries) == episodes
    assert all(len(entry.authors) == 2 for entry in feed.entries)
    assert {entry.itunes_duration for entry in feed.entries} == {"0:01:01"}
