"""The narration player in Chromium: it plays, seeks, changes speed, remembers where the
listener was, and highlights the paragraph being read."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article
from narration import generate
from narration.models import Narration

SAMPLE = "samples/kyiv-independent-2024-01-21.txt"
SLUG = "media-putin-preparing-to-visit-north-korea"


@pytest.fixture
def narrated(db):
    call_command("import_text", SAMPLE, verbosity=0)
    article = Article.objects.get(slug=SLUG)
    assert generate.run(article.pk).result == "made"
    return Narration.objects.get(article=article)


def highlighted(page):
    return page.evaluate(
        """() => {
          const readable = [...document.querySelectorAll('.article .body > p')];
          return readable.findIndex(p => p.classList.contains('is-being-read'));
        }"""
    )


def current_time(page):
    return page.evaluate("document.querySelector('.player audio').currentTime")


def wait_until(page, check, limit=15_000):
    """Poll `check(page)` until it is true (the page's CSP forbids wait_for_function's eval)."""
    waited = 0
    while not check(page):
        assert waited < limit, f"{check.__name__} still false after {limit} ms"
        page.wait_for_timeout(100)
        waited += 100


def test_the_player_plays_and_highlights_the_paragraph_being_read(
    live_server, page, narrated, console_errors, screenshot
):
    page.goto(f"{live_server.url}/news/{SLUG}/")
    player = page.locator(".player")
    assert "This audio is created with AI assistance" in page.locator(".audio").inner_text()
    # The script replaced the browser's own controls with labelled buttons.
    assert not page.locator(".player audio").is_visible()
    play = player.get_by_role("button", name="Play", exact=True)
    back = player.get_by_role("button", name="Back 15 s")
    forward = player.get_by_role("button", name="Forward 15 s")
    speed = player.get_by_role("button", name="Playback speed 1×, change")
    for button in (play, back, forward, speed):
        assert button.is_visible()
    minutes, seconds = divmod(round(narrated.duration), 60)
    expect(player.locator("[data-length]")).to_have_text(f"{minutes}:{seconds:02d}")

    play.click()
    wait_until(page, lambda page: current_time(page) >= 1)
    expect(player.get_by_role("button", name="Pause", exact=True)).to_be_visible()
    assert highlighted(page) == -1  # the headline and byline come first

    timings = narrated.timings
    forward.click()  # to about 16 s: the first paragraph
    expect(page.locator(".is-being-read")).to_have_count(1)
    at = current_time(page)
    expected = next(index for index, start, end in timings if start <= at < end)
    assert highlighted(page) == expected
    first = expected

    forward.click()
    wait_until(page, lambda page: highlighted(page) > first)
    assert highlighted(page) > first
    assert page.locator(".is-being-read").count() == 1

    speed.click()
    expect(player.get_by_role("button", name="Playback speed 1.25×, change")).to_be_visible()
    assert page.evaluate("document.querySelector('.player audio').playbackRate") == 1.25
    page.get_by_role("button", name="Pause", exact=True).click()
    paused_at = current_time(page)

    screenshot(page, "narration-player-1280", width=1280)
    screenshot(page, "narration-player-375", width=375)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # The position is remembered for this article.
    page.reload()
    wait_until(page, lambda page: current_time(page) > 0)
    assert abs(current_time(page) - paused_at) < 2
    assert console_errors == []


def test_without_javascript_the_page_keeps_the_browsers_own_player(live_server, browser, narrated):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/news/{SLUG}/")
    audio = page.locator(".player audio[controls]")
    assert audio.is_visible()
    assert audio.get_attribute("src") == f"/audio/{SLUG}.mp3"
    assert not page.locator(".player__controls").is_visible()
    context.close()
