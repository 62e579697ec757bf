"""Previews in a real browser: a draft reads as its public page will, for editors and for
people given a shared link."""

import pytest

from articles import preview
from articles.models import Status
from tests.factories import article_with_everything

pytestmark = pytest.mark.e2e


@pytest.fixture
def draft(db):
    return article_with_everything(status=Status.REVIEW, published_at=None)


def reads_as_the_public_page(page):
    """Check every part of the article page a reader would look for."""
    assert "not visible to readers" in page.locator(".preview-banner").inner_text()
    assert page.locator("h1").inner_text() == "Media: Putin preparing to visit North Korea"
    byline = page.locator(".article .byline")
    assert byline.inner_text() == "by Rachel Amran and The Kyiv Independent news desk"
    assert page.locator(".article .meta time").first.inner_text().strip() != ""

    hero = page.locator(".hero picture img")
    assert hero.evaluate("img => img.complete && img.naturalWidth > 0")
    assert "Putin meets North Korea" in page.locator(".hero figcaption").inner_text()

    paragraphs = page.locator(".article .body > p").all_inner_texts()
    assert paragraphs[0].startswith("Russian dictator Vladimir Putin")
    assert paragraphs[-1].startswith("In the short term")
    card = page.locator(".article .body .related-card")
    assert "North Korea supplying shells to Russia" in card.inner_text()
    assert "misspelt a name" in page.locator(".corrections").inner_text()
    assert (
        "Authors: Rachel Amran, The Kyiv Independent news desk"
        in page.locator(".authors").inner_text()
    )
    related = page.locator(".related-articles .teaser")
    assert "North Korea supplying shells to Russia" in related.inner_text()

    sidebar = page.locator(".sidebar")
    popular = sidebar.locator(".most-popular li").all_inner_texts()
    assert popular == ["North Korea supplying shells to Russia"]
    assert "Ships leave Odesa" in sidebar.locator(".feed-box").first.inner_text()


def look_at(page, screenshot, name):
    for width in (375, 1280):
        screenshot(page, f"{name}-{width}", width=width)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow, f"the preview scrolls sideways at {width}px"


def test_an_editor_previews_a_draft_as_readers_will_read_it(
    live_server, page, django_user_model, draft, console_errors, screenshot
):
    django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")

    page.goto(f"{live_server.url}/preview/{draft.pk}/")
    reads_as_the_public_page(page)
    assert page.locator(".preview-banner a").inner_text() == "Back to editing"
    look_at(page, screenshot, "preview-staff")
    assert console_errors == []


def test_a_shared_preview_link_shows_the_same_page_to_someone_without_a_login(
    live_server, page, draft, console_errors, screenshot
):
    page.goto(f"{live_server.url}{preview.share_url(draft)}")
    reads_as_the_public_page(page)
    assert "This link works for 24 hours" in page.locator(".preview-banner").inner_text()
    look_at(page, screenshot, "preview-shared")
    assert console_errors == []
