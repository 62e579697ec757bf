"""A contributor cannot make script run in an editor's browser through an upload."""

import pytest
from django.test import testcases
from playwright.sync_api import Error as PlaywrightError

from articles.models import Article
from tests import files
from tests.browser import log_in
from tests.factories import image_file


def test_html_uploaded_as_audio_and_svg_as_hero_image_are_refused_in_the_form(
    live_server, page, user_in_role, screenshot, settings
):
    user_in_role("Contributor", "writer")
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_headline", "Interview with the mayor")
    page.fill("#id_body", "The mayor spoke to us on Monday.")
    page.set_input_files(
        "#id_hero_image",
        {"name": "map.png", "mimeType": "image/png", "buffer": files.EVIL_SVG},
    )
    page.fill("#id_hero_alt", "A map of the city")
    page.set_input_files(
        "#id_audio",
        {"name": "interview.mp3", "mimeType": "audio/mpeg", "buffer": files.EVIL_HTML},
    )
    page.click("input[name=_save]")

    page.wait_for_selector(".errornote")
    audio_error = page.locator(".field-audio .errorlist").inner_text()
    assert audio_error.startswith("This is an HTML file, not audio.")
    hero_error = page.locator(".field-hero_image .errorlist").inner_text()
    assert hero_error.startswith("This file is not an image Pillow can read.")
    assert "SVG drawing" in hero_error
    assert page.locator(".field-audio .errorlist").is_visible()
    assert not Article.objects.exists()
    assert not any(path.is_file() for path in settings.MEDIA_ROOT.rglob("*"))
    page.locator(".field-hero_image").scroll_into_view_if_needed()
    screenshot(page, "upload-refused-1280", width=1280)
    screenshot(page, "upload-refused-375", width=375)


@pytest.fixture
def media_served_by_the_site(monkeypatch):
    """Let /media/ reach the site's own URLs, as under runserver, instead of the file handler
    the live server puts in front of it."""
    monkeypatch.setattr(testcases._MediaFilesHandler, "_should_handle", lambda self, path: False)


@pytest.mark.parametrize("name", ["evil.html", "evil.svg", "evil.jpg"])
def test_a_script_file_in_media_does_not_run_in_a_logged_in_editors_browser(
    live_server, page, user_in_role, settings, media_served_by_the_site, name
):
    user_in_role("Editor", "desk")
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / name).write_bytes(
        files.EVIL_SVG if name.endswith(".svg") else files.EVIL_HTML
    )
    log_in(page, live_server, "desk")
    page.wait_for_url(f"{live_server.url}/admin/")
    sent = []
    page.on("request", lambda request: sent.append(request.url))
    downloads = []
    page.on("download", lambda download: downloads.append(download))

    try:
        page.goto(f"{live_server.url}/media/{name}")
    except PlaywrightError as error:  # the browser saves the file instead of showing it
        assert "Download is starting" in str(error)
    page.wait_for_timeout(500)  # time enough for a script to post, had one run

    assert page.title() != "pwned"
    assert not any(url.endswith("/stolen") for url in sent)
    if name.endswith((".html", ".svg")):
        assert len(downloads) == 1 and page.url == f"{live_server.url}/admin/"


def test_a_picture_opened_at_its_media_address_still_shows(
    live_server, page, settings, media_served_by_the_site, screenshot
):
    settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "photo.jpg").write_bytes(image_file(size=(300, 200)).read())
    page.goto(f"{live_server.url}/media/photo.jpg")
    assert page.locator("img").evaluate("img => img.naturalWidth") == 300
    screenshot(page, "media-picture-opened")
