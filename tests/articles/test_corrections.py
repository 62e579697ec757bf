"""Corrections and editor's notes: added on the article's change form, printed at the end of
the article with their date, counted as an update, and listed on /corrections/."""

import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from articles.models import Correction, Status
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    article_in,
    change_form,
    change_url,
    management_form,
)
from tests.html import find, find_all, links, parse, text

pytestmark = pytest.mark.django_db

KYIV = ZoneInfo("Europe/Kyiv")
PUBLISHED = datetime(2024, 1, 21, 7, 14, tzinfo=KYIV)
CORRECTED = datetime(2024, 1, 22, 9, 30, tzinfo=KYIV)


def with_correction(article, kind, words):
    """The change form of `article` as it is, with one new correction or note filled in."""
    return change_form(
        article,
        **management_form("corrections", total=1),
        **{"corrections-0-kind": kind, "corrections-0-text": words},
    )


def json_ld_of(response):
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    return json.loads(script.group(1))


@pytest.fixture
def published():
    with time_machine.travel(PUBLISHED, tick=False):
        return ArticleFactory(
            headline="Grain corridor reopens", published_at=PUBLISHED, authors=[AuthorFactory()]
        )


def test_an_editor_adds_a_correction_and_readers_see_it_with_its_date(
    editor_client, editor, reader, published
):
    with time_machine.travel(CORRECTED, tick=False):
        response = editor_client.post(
            change_url(published),
            with_correction(published, "correction", "An earlier version gave the wrong port."),
        )
    assert response.status_code == 302

    page = parse(reader.get(published.get_absolute_url()))
    correction = find(find(page, "section", "corrections"), "p", "correction")
    assert text(correction) == (
        "Correction, January 22, 2024: An earlier version gave the wrong port."
    )
    assert find(correction, "time").attributes["datetime"] == "2024-01-22T09:30:00+02:00"
    assert Correction.objects.get().created_by == editor


def test_an_editors_note_is_labelled_as_one(editor_client, reader, published):
    with time_machine.travel(CORRECTED, tick=False):
        editor_client.post(
            change_url(published),
            with_correction(published, "editors_note", "This article was updated with video."),
        )
    page = parse(reader.get(published.get_absolute_url()))
    assert text(find(page, "p", "correction")).startswith("Editor’s note, January 22, 2024: This")


def test_a_correction_counts_as_an_update_of_the_article(client, published):
    with time_machine.travel(CORRECTED, tick=False):
        Correction.objects.create(article=published, text="The port is Odesa, not Izmail.")
    response = client.get(published.get_absolute_url())
    meta = text(find(parse(response), "p", "meta"))
    assert "Updated January 22, 2024 9:30 AM" in meta
    assert json_ld_of(response)["dateModified"] == "2024-01-22T09:30:00+02:00"


def test_corrections_follow_the_body_oldest_first(client, published):
    for day, words in [(23, "Second fix."), (22, "First fix.")]:
        with time_machine.travel(CORRECTED.replace(day=day), tick=False):
            Correction.objects.create(article=published, text=words)
    page = parse(client.get(published.get_absolute_url()))
    shown = [text(p) for p in find_all(page, "p", "correction")]
    assert shown == [
        "Correction, January 22, 2024: First fix.",
        "Correction, January 23, 2024: Second fix.",
    ]
    assert page.html.index('class="body"') < page.html.index('class="corrections"')


def test_a_new_correction_shows_on_a_cached_article_page(client, published):
    assert b"Odesa, not Izmail" not in client.get(published.get_absolute_url()).content
    Correction.objects.create(article=published, text="The port is Odesa, not Izmail.")
    assert b"Odesa, not Izmail" in client.get(published.get_absolute_url()).content


def test_a_correction_with_an_invisible_character_is_refused_saying_where(editor_client, published):
    response = editor_client.post(
        change_url(published), with_correction(published, "correction", "Wrong\x07 port.")
    )
    assert response.status_code == 200
    assert "Remove the invisible control character U+0007 at character 6" in response.text
    assert not Correction.objects.exists()


def test_the_corrections_page_lists_the_newest_first_with_links_twenty_a_page(client):
    start = datetime(2024, 1, 1, 12, tzinfo=KYIV)
    for number in range(25):
        article = ArticleFactory(headline=f"Story {number}", published_at=start)
        with time_machine.travel(start + timedelta(days=number), tick=False):
            Correction.objects.create(article=article, text=f"Fix {number}.")

    first = parse(client.get("/corrections/"))
    entries = find_all(first, "article", "correction-entry")
    assert len(entries) == 20
    assert text(entries[0]) == "Story 24 Correction, January 25, 2024: Fix 24."
    newest = Correction.objects.get(text="Fix 24.")
    assert links(entries[0]) == [(f"/news/story-24/#correction-{newest.pk}", "Story 24")]

    second = parse(client.get("/corrections/?page=2"))
    assert [text(e).split(" Correction")[0] for e in find_all(second, "article")] == [
        "Story 4",
        "Story 3",
        "Story 2",
        "Story 1",
        "Story 0",
    ]
    assert client.get("/corrections/?page=9").status_code == 404


def test_corrections_of_articles_readers_cannot_open_are_not_listed(client):
    draft = article_in(Status.DRAFT, owner=None, headline="Not out yet")
    Correction.objects.create(article=draft, text="Fixed before anyone saw it.")
    page = client.get("/corrections/")
    assert page.status_code == 200
    assert "Fixed before anyone saw it" not in page.text and "No corrections yet." in page.text


def test_the_article_links_to_all_corrections(client, published):
    Correction.objects.create(article=published, text="The port is Odesa.")
    corrections = find(parse(client.get(published.get_absolute_url())), "section", "corrections")
    assert ("/corrections/", "All corrections") in links(corrections)


def test_a_correction_made_between_two_seconds_gives_its_time_to_the_second(client, published):
    """HTML allows at most three digits of a second in a datetime; the desk's clock has six."""
    moment = CORRECTED.replace(microsecond=456789)
    with time_machine.travel(moment, tick=False):
        Correction.objects.create(article=published, text="The port is Odesa, not Izmail.")
    article_page = parse(client.get(published.get_absolute_url()))
    corrections_page = parse(client.get("/corrections/"))
    for correction in (find(article_page, "p", "correction"), find(corrections_page, "article")):
        assert find(correction, "time").attributes["datetime"] == "2024-01-22T09:30:00+02:00"
