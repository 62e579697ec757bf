"""Narration on the article's change form and in the article list."""

import pytest

from narration import generate
from narration.models import Narration
from tests.factories import ArticleFactory, AuthorFactory, change_form, management_form
from tests.html import find, find_all, parse, text

pytestmark = pytest.mark.django_db


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def panel(editor_client, article):
    page = parse(editor_client.get(change_url(article)))
    return find(page, "div", "narration-state")


def test_a_ready_narration_shows_its_duration_a_preview_and_the_buttons(editor_client):
    article = ArticleFactory(body="One paragraph, read aloud.")
    generate.run(article.pk)
    narration = Narration.objects.get()
    shown = panel(editor_client, article)
    minutes, seconds = divmod(round(narration.duration), 60)
    assert text(shown).startswith(f"Ready, {minutes}:{seconds:02d}, read by en-us")
    assert find(shown, "audio").attributes["src"] == f"/audio/{article.slug}.mp3"
    buttons = [(b.attributes["value"], text(b)) for b in find_all(shown, "button")]
    assert buttons == [("regenerate", "Regenerate"), ("remove", "Remove")]


def test_the_article_list_says_each_narrations_state(editor_client):
    ready = ArticleFactory(headline="Read aloud")
    generate.run(ready.pk)
    failed = ArticleFactory(headline="Could not be read")
    Narration.objects.create(article=failed, state="failed", reason="The voice was missing")
    ArticleFactory(headline="Never read")
    Narration.objects.create(article=ArticleFactory(headline="Being read"), state="queued")
    page = parse(editor_client.get("/admin/articles/article/"))
    rows = {
        text(find(row, "td", "field-headline")): text(find(row, "td", "field-narration_state"))
        for row in find_all(find(page, "table", id="result_list"), "tr")[1:]
    }
    duration = Narration.objects.get(article=ready).duration
    assert rows["Read aloud"] == f"Ready, 0:{round(duration):02d}"
    assert rows["Could not be read"] == "Failed: The voice was missing"
    assert rows["Never read"] == "None"
    assert rows["Being read"] == "Queued"


def test_a_queued_narration_says_the_worker_reads_it_and_the_old_one_plays_meanwhile(
    editor_client, django_capture_on_commit_callbacks
):
    article = ArticleFactory(body="One paragraph.")
    generate.run(article.pk)
    with django_capture_on_commit_callbacks(execute=True):
        generate.queue(article.pk, force=True)
    assert text(find(panel(editor_client, article), "p")) == (
        "Queued: the worker reads it in the background. "
        "Readers hear the previous narration meanwhile."
    )
    generate.remove(Narration.objects.get())
    with django_capture_on_commit_callbacks(execute=True):
        generate.queue(article.pk)
    assert text(find(panel(editor_client, article), "p")) == (
        "Queued: the worker reads it in the background."
    )


def test_a_failed_narration_shows_why(editor_client):
    article = ArticleFactory()
    Narration.objects.create(article=article, state="failed", reason="Speech service down")
    assert "Failed: Speech service down" in text(panel(editor_client, article))


def test_without_espeak_the_change_form_says_how_to_install_it(editor_client, settings):
    settings.NARRATION_ESPEAK_BINARY = "espeak-ng-not-installed"
    shown = panel(editor_client, ArticleFactory())
    assert "Install it with “apt-get install espeak-ng”" in text(find(shown, "p", "errornote"))


def test_regenerate_saves_and_queues_a_new_reading(
    editor_client, run_worker, django_capture_on_commit_callbacks
):
    article = ArticleFactory(body="One paragraph.", authors=[AuthorFactory()])
    generate.run(article.pk)
    first = Narration.objects.get().generated_at
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            change_url(article), change_form(article, _narration="regenerate"), follow=True
        )
    assert "The narration is queued" in response.text
    assert Narration.objects.get().state == Narration.State.QUEUED
    run_worker()
    again = Narration.objects.get()
    assert again.state == Narration.State.READY and again.generated_at > first


def test_remove_takes_the_narration_off_the_page(editor_client, client):
    article = ArticleFactory(body="One paragraph.", authors=[AuthorFactory()])
    generate.run(article.pk)
    source = f"/audio/{article.slug}.mp3"
    response = editor_client.post(change_url(article), change_form(article, _narration="remove"))
    assert response.status_code == 302
    assert Narration.objects.get().state == Narration.State.NONE
    client.logout()
    assert client.get(source).status_code == 404
    assert not find_all(parse(client.get(article.get_absolute_url())), "div", "player")


def test_an_editor_chooses_the_voice_and_the_article_is_read_in_it(
    editor_client, run_worker, django_capture_on_commit_callbacks
):
    article = ArticleFactory(body="One paragraph.", authors=[AuthorFactory()])
    data = change_form(article)
    data.update(management_form("narration", total=1))
    data.update({"narration-0-voice": "en-gb", "narration-0-article": article.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(change_url(article), data)
    assert response.status_code == 302, response.context["errors"]
    run_worker()
    narration = Narration.objects.get()
    assert narration.voice == narration.voice_used == "en-gb"
    assert narration.state == Narration.State.READY


def test_an_unknown_voice_is_refused_in_the_form(editor_client):
    article = ArticleFactory()
    data = change_form(article)
    data.update(management_form("narration", total=1))
    data.update({"narration-0-voice": "klingon", "narration-0-article": article.pk})
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 200
    assert "Select a valid choice. klingon is not one of the available choices." in response.text
