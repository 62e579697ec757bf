"""`manage.py narrate`: the imported sample gets a player; a summary says what was done."""

import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from narration.models import Narration
from tests.factories import ArticleFactory
from tests.html import find, find_all, parse, text

pytestmark = pytest.mark.django_db

SAMPLE = "samples/kyiv-independent-2024-01-21.txt"


def narrate(*args):
    out = io.StringIO()
    call_command("narrate", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


def test_narrate_missing_gives_the_imported_sample_a_player(client):
    call_command("import_text", SAMPLE, verbosity=0)
    article = Article.objects.get()
    # The capture says its audio was made with AI; with nothing to play yet, nothing is said.
    page = parse(client.get(article.get_absolute_url()))
    assert article.audio_ai_generated
    assert not find_all(page, "div", "audio")
    assert "AI assistance" not in text(page)

    assert narrate("--missing") == ("Narrated 1, already up to date 0, skipped 0, failed 0.")

    page = parse(client.get(article.get_absolute_url()))
    audio = find(page, "div", "audio")
    assert "This audio is created with AI assistance" in text(audio)
    assert find(audio, "audio").attributes["src"] == f"/audio/{article.slug}.mp3"
    narration = Narration.objects.get()
    assert 100_000 < narration.size < 1_000_000  # a few hundred kB
    assert len(narration.timings) == 6  # the six paragraphs; the card is not read
    assert narrate("--missing") == "Narrated 0, already up to date 0, skipped 0, failed 0."
    assert narrate(article.slug) == "Narrated 0, already up to date 1, skipped 0, failed 0."


def test_narrate_force_reads_again_and_skips_what_readers_cannot_see():
    published = ArticleFactory(body="One paragraph.")
    draft = ArticleFactory(status="draft", published_at=None)
    assert narrate(published.slug) == "Narrated 1, already up to date 0, skipped 0, failed 0."
    assert narrate("--force", published.slug, draft.slug) == (
        "Narrated 1, already up to date 0, skipped 1, failed 0."
    )


def test_narrate_names_slugs_it_does_not_know_and_needs_something_to_do():
    with pytest.raises(CommandError, match="No article with the slug no-such-story"):
        narrate("no-such-story")
    with pytest.raises(CommandError, match="Name articles by slug, or give --missing"):
        narrate()


def test_narrate_without_espeak_says_how_to_install_it(settings):
    settings.NARRATION_ESPEAK_BINARY = "espeak-ng-not-installed"
    with pytest.raises(CommandError, match="apt-get install espeak-ng"):
        narrate("--missing")
