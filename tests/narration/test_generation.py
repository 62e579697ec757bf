"""Publishing narrates an article in the worker; edits read it again; unpublishing hides it."""

import json
import stat
from datetime import timedelta

import miniaudio
import pytest
import time_machine
from django.utils import timezone

from articles import workflow
from articles.models import Article, Status
from narration.audio import mp3_frames
from narration.models import Narration
from tests.factories import ArticleFactory, AuthorFactory, DeskFactory
from tests.html import find, find_all, parse, text

pytestmark = pytest.mark.django_db

BODY = (
    "Russian dictator Vladimir Putin announced his willingness to visit Pyongyang in the near "
    "future, North Korea's state news agency, KCNA, reported on Jan. 21.\n\n"
    "Putin also reportedly thanked the North Korean leader Kim Jong Un for his invitation to "
    "visit the country and his continued support of Russian military efforts in Ukraine.\n\n"
    "The nature of the relationship is increasingly becoming a two-way street, said U.S. "
    "Secretary of State Antony Blinken."
)


@pytest.fixture
def draft(db):
    article = ArticleFactory(
        headline="Media: Putin preparing to visit North Korea",
        body=BODY,
        status=Status.DRAFT,
        published_at=None,
        authors=[AuthorFactory(name="Rachel Amran"), DeskFactory()],
    )
    return Article.objects.get(pk=article.pk)


def publish(article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article=article, by=None)


def audio_of(client, article):
    page = parse(client.get(article.get_absolute_url()))
    player = find(page, "div", "player")
    source = find(player, "audio").attributes["src"]
    response = client.get(source)
    assert response.status_code == 200
    return page, player, source, b"".join(response.streaming_content)


def test_a_published_article_is_narrated_by_the_worker_and_played_on_its_page(
    client, draft, run_worker, django_capture_on_commit_callbacks, settings
):
    publish(draft, django_capture_on_commit_callbacks)
    assert Narration.objects.get(article=draft).state == Narration.State.QUEUED
    # The page is out before the narration is: no player yet, no waiting.
    assert not find_all(parse(client.get(draft.get_absolute_url())), "div", "player")

    run_worker()

    page, player, source, data = audio_of(client, draft)
    assert source == f"/audio/{draft.slug}.mp3"
    assert text(find(page, "div", "audio")).startswith("This audio is created with AI assistance")
    decoded = miniaudio.decode(data, output_format=miniaudio.SampleFormat.SIGNED16, nchannels=1)
    seconds = decoded.num_frames / decoded.sample_rate
    assert max(abs(sample) for sample in decoded.samples) > 1000  # speech, not silence
    frames, frame_seconds = mp3_frames(data)
    assert frames > 100 and abs(frame_seconds - seconds) < 0.2
    narration = Narration.objects.get(article=draft)
    words = len(narration.article.headline.split()) + len(BODY.split()) + 9  # the byline
    expected = words / settings.NARRATION_WORDS_PER_MINUTE * 60
    assert 0.8 * expected <= seconds <= 1.2 * expected, (seconds, expected)
    assert abs(narration.duration - seconds) < 0.2
    timings = json.loads(player.attributes["data-timings"])
    assert [row[0] for row in timings] == [0, 1, 2]
    assert all(start < end <= seconds for _, start, end in timings)
    assert timings[0][2] <= timings[1][1] and timings[1][2] <= timings[2][1]


def test_the_ai_note_waits_for_something_to_play(
    client, draft, run_worker, django_capture_on_commit_callbacks
):
    draft.audio_ai_generated = True  # ticked by an editor before the narration is ready
    publish(draft, django_capture_on_commit_callbacks)
    page = parse(client.get(draft.get_absolute_url()))
    assert not find_all(page, "div", "audio")
    assert "AI assistance" not in text(page)

    run_worker()

    page = parse(client.get(draft.get_absolute_url()))
    audio = find(page, "div", "audio")
    assert text(audio).startswith("This audio is created with AI assistance")
    assert find(find(audio, "div", "player"), "audio").attributes["src"] == (
        f"/audio/{draft.slug}.mp3"
    )


def test_the_page_names_the_narration_in_its_news_article_json_ld(
    client, draft, run_worker, django_capture_on_commit_callbacks
):
    publish(draft, django_capture_on_commit_callbacks)
    run_worker()
    page = parse(client.get(draft.get_absolute_url()))
    blocks = [
        json.loads(script.children[0])
        for script in find_all(page, "script", type="application/ld+json")
    ]
    [article] = [block for block in blocks if block["@type"] == "NewsArticle"]
    duration = Narration.objects.get().duration
    minutes, seconds = divmod(round(duration), 60)
    assert article["audio"] == {
        "@type": "AudioObject",
        "contentUrl": f"http://127.0.0.1:8000/audio/{draft.slug}.mp3",
        "encodingFormat": "audio/mpeg",
        "duration": f"PT{minutes}M{seconds}S" if minutes else f"PT{seconds}S",
    }


def test_editing_a_published_body_reads_the_article_again(
    client, draft, run_worker, django_capture_on_commit_callbacks
):
    publish(draft, django_capture_on_commit_callbacks)
    run_worker()
    first = Narration.objects.get()
    _, _, _, before = audio_of(client, draft)

    article = Article.objects.get(pk=draft.pk)
    article.body += "\n\nA fourth paragraph, added after publication, is read too."
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    run_worker()

    again = Narration.objects.get()
    assert again.file_name != first.file_name
    assert again.duration > first.duration
    assert [row[0] for row in again.timings] == [0, 1, 2, 3]
    _, _, _, after = audio_of(client, draft)
    assert after != before


def test_a_save_that_leaves_headline_and_body_alone_reads_nothing_again(
    draft, run_worker, django_capture_on_commit_callbacks
):
    publish(draft, django_capture_on_commit_callbacks)
    run_worker()
    made = Narration.objects.get().generated_at
    article = Article.objects.get(pk=draft.pk)
    article.dek = "A new dek"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert Narration.objects.get().state == Narration.State.READY  # nothing queued
    run_worker()
    assert Narration.objects.get().generated_at == made


def test_unpublishing_hides_the_audio_and_its_player(
    client, draft, run_worker, django_capture_on_commit_callbacks
):
    publish(draft, django_capture_on_commit_callbacks)
    run_worker()
    source = audio_of(client, draft)[2]
    workflow.unpublish(article=Article.objects.get(pk=draft.pk), by=None)
    assert client.get(source).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_an_uploaded_human_reading_is_played_without_the_ai_note(client, draft):
    from django.core.files.base import ContentFile

    draft.audio.save("reading.mp3", ContentFile(b"ID3"), save=False)
    draft.status, draft.published_at = Status.PUBLISHED, timezone.now()
    draft.save()
    page = parse(client.get(draft.get_absolute_url()))
    audio = find(page, "div", "audio")
    assert find(audio, "audio").attributes["src"] == draft.audio.url
    assert "AI assistance" not in text(audio)
    assert not Narration.objects.filter(file_name__gt="").exists()


def test_without_espeak_the_narration_fails_saying_how_to_install_it_and_publishing_works(
    client, draft, run_worker, django_capture_on_commit_callbacks, settings
):
    settings.NARRATION_ESPEAK_BINARY = "espeak-ng-not-installed"
    publish(draft, django_capture_on_commit_callbacks)
    run_worker()
    narration = Narration.objects.get()
    assert narration.state == Narration.State.FAILED
    assert "apt-get install espeak-ng" in narration.reason
    assert client.get(draft.get_absolute_url()).status_code == 200


def broken_espeak(tmp_path):
    """An eSpeak NG that is there but stops with an error, as when its voice data is lost."""
    broken = tmp_path / "espeak-ng"
    broken.write_text("#!/bin/sh\necho 'voice data missing' >&2\nexit 3\n")
    broken.chmod(broken.stat().st_mode | stat.S_IEXEC)
    return str(broken)


def waiting_jobs():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY")


def run_retries(run_worker):
    """Run each retry the worker has waiting at its time, until none is left."""
    while waiting_jobs().exists():
        due = waiting_jobs().order_by("run_after").first().run_after
        with time_machine.travel(due + timedelta(seconds=1), tick=False):
            run_worker()


def test_a_failed_narration_is_tried_again_later(
    draft, run_worker, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.NARRATION_ESPEAK_BINARY = broken_espeak(tmp_path)
    publish(draft, django_capture_on_commit_callbacks)
    run_worker()

    narration = Narration.objects.get()
    assert narration.state == Narration.State.FAILED
    assert narration.reason == "eSpeak NG stopped with status 3: voice data missing"
    later = waiting_jobs().get()
    assert later.task_path == "newsroom.tasks.narrate_article"
    assert later.run_after > timezone.now()


def test_a_retry_that_succeeds_gives_the_page_its_player(
    client, draft, run_worker, django_capture_on_commit_callbacks, settings, tmp_path
):
    working = settings.NARRATION_ESPEAK_BINARY
    settings.NARRATION_ESPEAK_BINARY = broken_espeak(tmp_path)
    publish(draft, django_capture_on_commit_callbacks)
    run_worker()
    assert Narration.objects.get().state == Narration.State.FAILED
    assert not find_all(parse(client.get(draft.get_absolute_url())), "div", "player")

    settings.NARRATION_ESPEAK_BINARY = working  # the voice data is back before the retry
    run_retries(run_worker)

    narration = Narration.objects.get()
    assert narration.state == Narration.State.READY and narration.reason == ""
    assert audio_of(client, draft)[2] == f"/audio/{draft.slug}.mp3"


def test_an_edit_after_a_round_of_failed_attempts_gets_a_round_of_its_own(
    editor_client, draft, run_worker, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.NARRATION_ESPEAK_BINARY = broken_espeak(tmp_path)
    publish(draft, django_capture_on_commit_callbacks)
    run_worker()
    run_retries(run_worker)
    tries = 1 + len(settings.NARRATION_RETRY_DELAYS)
    assert Narration.objects.get().attempts == tries
    admin_page = f"/admin/articles/article/{draft.pk}/change/"
    assert f"Failed ({tries} attempts)" in text(parse(editor_client.get(admin_page)))

    article = Article.objects.get(pk=draft.pk)
    article.body += "\n\nA fourth paragraph, added after publication."
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    run_worker()

    assert "Failed (1 attempt)" in text(parse(editor_client.get(admin_page)))
    assert waiting_jobs().get().run_after > timezone.now()
    run_retries(run_worker)
    assert Narration.objects.get().attempts == tries


def test_a_scheduled_article_is_narrated_when_its_time_comes(
    client, draft, run_worker, django_capture_on_commit_callbacks
):
    at = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.schedule(article=draft, by=None, at=at)
    run_worker()
    assert not Narration.objects.filter(file_name__gt="").exists()
    with time_machine.travel(at + timedelta(minutes=1), tick=False):
        run_worker()  # the job that publishes it at its time, then its narration
        assert audio_of(client, draft)[2] == f"/audio/{draft.slug}.mp3"


def test_while_it_is_read_again_the_previous_narration_still_plays(
    client, draft, run_worker, django_capture_on_commit_callbacks
):
    publish(draft, django_capture_on_commit_callbacks)
    run_worker()
    article = Article.objects.get(pk=draft.pk)
    article.headline = "Putin preparing to visit North Korea, KCNA says"
    with django_capture_on_commit_callbacks(execute=True):
        article.save()
    assert Narration.objects.get().state == Narration.State.QUEUED
    assert audio_of(client, article)[3]
