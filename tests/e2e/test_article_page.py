"""The imported sample page, in a real browser, element by element like the captured page."""

import io
import wave

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from articles.models import Article
from tests.factories import image_file

SAMPLE = "samples/kyiv-independent-2024-01-21.txt"
SLUG = "media-putin-preparing-to-visit-north-korea"


def silent_wav(seconds=1, rate=8000):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(b"\x80" * rate * seconds)
    return buffer.getvalue()


@pytest.fixture
def sample_article(db):
    call_command("import_text", SAMPLE, verbosity=0)
    article = Article.objects.get(slug=SLUG)
    # The capture is text only: give the story the picture and audio file the page had.
    article.hero_image = image_file("putin.jpg", size=(1600, 1000))
    article.hero_alt = "Vladimir Putin and Choe Son Hui shake hands in Moscow"
    article.hero_caption = "Russian dictator Vladimir Putin meets North Korea's foreign minister."
    article.hero_credit = "Photo: Kremlin press service"
    article.audio.save("putin.wav", ContentFile(silent_wav()), save=False)
    article.save()
    # Imported as first published, not edited since.
    Article.objects.filter(pk=article.pk).update(modified_at=article.published_at)
    return article


def test_imported_sample_page_shows_every_element(
    live_server, page, sample_article, console_errors, screenshot
):
    page.goto(f"{live_server.url}/news/{SLUG}/")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"

    assert page.locator("h1").inner_text() == "Media: Putin preparing to visit North Korea"
    byline = page.locator(".article .byline")
    assert byline.inner_text() == "by Rachel Amran and The Kyiv Independent news desk"
    assert byline.locator("a").evaluate_all("links => links.map(a => a.pathname)") == [
        "/authors/rachel-amran/",
        "/authors/the-kyiv-independent-news-desk/",
    ]
    published = page.locator(".article .meta time").first
    assert published.inner_text() == "January 21, 2024 7:14 AM"
    assert published.get_attribute("datetime") == "2024-01-21T07:14:00+02:00"
    assert "2 min read" in page.locator(".article .meta").inner_text()
    assert "Updated" not in page.locator(".article header").inner_text()

    audio = page.locator(".audio")
    assert "This audio is created with AI assistance" in audio.inner_text()
    # The player's own buttons stand in for the browser's controls of the uploaded file.
    assert audio.get_by_role("button", name="Play", exact=True).is_visible()
    assert audio.locator("audio").get_attribute("src") == sample_article.audio.url

    hero = page.locator(".hero img")
    assert hero.get_attribute("width") == "1200" and hero.get_attribute("height") == "750"
    assert "480w" in page.locator(".hero source[type='image/webp']").get_attribute("srcset")
    assert hero.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "Photo: Kremlin press service" in page.locator(".hero figcaption").inner_text()

    body = page.locator(".article .body")
    assert body.locator("p").first.inner_text().startswith("Russian dictator Vladimir Putin")
    card = body.locator(".related-card")
    assert "Military intelligence: North Korea supplying" in card.inner_text()
    assert "The Kyiv Independent" in card.locator(".related-card__publisher").inner_text()
    assert card.locator(".related-card__author").inner_text() == "Elsa Court"

    authors = page.locator(".authors")
    assert "Authors: Rachel Amran, The Kyiv Independent news desk" in authors.inner_text()

    assert page.locator("#most-popular-heading").inner_text() == "Most popular"
    feed = page.locator(".feed-box").first
    assert feed.locator("h2 a").get_attribute("href") == "/feed/"
    feed_times = feed.locator(".feed-item time").all_inner_texts()
    assert feed_times[:2] == ["January 21, 2024 7:14 AM", "January 21, 2024 3:43 AM"]
    assert "Russian seaport terminal on fire" in feed.inner_text()
    assert "<p>" not in feed.inner_text(), "feed summaries must be HTML, not escaped markup"

    # The sample's four updates all fit in the News Feed box, so no section block repeats them.
    assert "Zelensky invites Trump to Ukraine" in feed.inner_text()
    assert page.locator(".section-block").count() == 0

    for width in (375, 1280):
        screenshot(page, f"article-sample-{width}", width=width)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"the page scrolls sideways at {width}px"
    assert console_errors == []


def test_home_page_in_the_browser_has_no_console_errors(
    live_server, page, sample_article, console_errors, screenshot
):
    page.goto(f"{live_server.url}/")
    assert page.locator(".top-story h2").inner_text() == sample_article.headline
    screenshot(page, "home-375", width=375)
    screenshot(page, "home-1280", width=1280)
    assert console_errors == []
