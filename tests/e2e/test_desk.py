"""The editors' desk in a browser, at 1280 and 375 px: what a new editor does and sees."""

import pytest

from articles.models import Article, MediaImage, Status
from tests.browser import log_in
from tests.factories import AuthorFactory, article_in, image_file

pytestmark = pytest.mark.e2e

PHONE, DESKTOP = 375, 1280


def scroll_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_an_editor_publishes_from_the_review_queue_in_three_clicks(
    live_server, page, user_in_role, console_errors, screenshot
):
    user_in_role("Editor", "desk")
    article = article_in(
        Status.REVIEW,
        owner=None,
        headline="Volunteers rebuild a library in Chernihiv",
        authors=[AuthorFactory(name="Rachel Amran")],
    )
    log_in(page, live_server, "desk")

    page.goto(f"{live_server.url}/admin/")
    clicks = 0
    page.locator("#review-queue a", has_text="Volunteers rebuild").click()
    clicks += 1
    page.wait_for_selector("#workflow")
    page.get_by_role("button", name="Publish now").click()
    clicks += 1
    message = page.locator(".messagelist .success").inner_text()

    article.refresh_from_db()
    assert clicks <= 3
    assert article.status == Status.PUBLISHED
    assert message == f"Published — live at /news/{article.slug}/"
    page.locator(".messagelist a").click()
    assert page.locator("h1").inner_text() == "Volunteers rebuild a library in Chernihiv"
    assert console_errors == []


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_the_desk_pages_fit_the_screen(
    live_server, browser, user_in_role, console_errors, screenshot, width
):
    user_in_role("Editor", "desk")
    author = AuthorFactory(name="Rachel Amran")
    for number in range(3):
        article_in(
            Status.REVIEW,
            owner=None,
            headline=f"Russia launches overnight drone attack on Odesa, number {number}",
            authors=[author],
        )
    published = article_in(Status.PUBLISHED, owner=None, authors=[author], hero_alt="x")
    picture = MediaImage.objects.create(image=image_file(size=(1200, 800)), alt="Kyiv at night")
    published.body = f"First paragraph.\n\n:::image\nid: {picture.pk}\n:::\n\nLast paragraph."
    published.save()
    page = browser.new_context(
        viewport={"width": width, "height": 900}, timezone_id="America/New_York"
    ).new_page()
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    log_in(page, live_server, "desk")

    pages = {
        "dashboard": "/admin/",
        "article-list": "/admin/articles/article/",
        "change-form": f"/admin/articles/article/{published.pk}/change/",
        "media-library": "/admin/articles/mediaimage/",
        "preview": f"/preview/{published.pk}/",
    }
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        screenshot(page, f"desk-{name}-{width}")
        assert scroll_width(page) <= width, f"{name} scrolls sideways at {width} px"
        # The browser's clock is not on Kyiv time: times are named, not warned about.
        warnings = page.locator(".timezonewarning").all()
        assert not [w.inner_text() for w in warnings if w.is_visible()]
        if name == "change-form":
            assert warnings and page.get_by_text("Kyiv time (UTC+0").is_visible()

    page.goto(f"{live_server.url}/admin/")
    queue_link = page.locator("#review-queue a").first
    box = queue_link.bounding_box()
    assert box["width"] > 150, "the review queue wraps headlines letter by letter"

    page.goto(f"{live_server.url}/admin/articles/article/")
    last_header = page.locator("#result_list thead th").last
    if width == DESKTOP:
        header = last_header.bounding_box()
        filters = page.locator("#changelist-filter").bounding_box()
        assert header["x"] + header["width"] <= filters["x"], "the last column hides"
    page.context.close()
    assert console_errors == []


def test_closing_the_page_mid_edit_and_coming_back_gets_the_text_back(
    live_server, browser, page, user_in_role, console_errors
):
    user_in_role("Editor", "desk")
    article = article_in(Status.DRAFT, owner=None, body="The library reopened on Saturday.")
    log_in(page, live_server, "desk")
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    page.goto(url)
    page.locator("#id_body").press("End")
    page.locator("#id_body").press_sequentially(" Volunteers came from three cities.")
    page.close(run_before_unload=True)

    again = page.context.new_page()
    again.goto(url)
    again.get_by_role("button", name="Put my unsaved text back").click()

    assert again.input_value("#id_body") == (
        "The library reopened on Saturday. Volunteers came from three cities."
    )
    article.refresh_from_db()
    assert article.body == "The library reopened on Saturday."
    assert console_errors == []


def test_the_live_preview_follows_the_typing_and_shows_card_errors_in_place(
    live_server, page, user_in_role, console_errors, screenshot
):
    user_in_role("Editor", "desk")
    log_in(page, live_server, "desk")
    page.goto(f"{live_server.url}/admin/articles/article/add/")

    page.fill("#id_headline", "A" * 112)
    assert "112 / 110 — too long" in page.locator("#id_headline_counter").inner_text()
    page.locator("#id_body").fill("Power is *back* in Kharkiv.\n\n:::card\nheading: oops\n:::")
    preview = page.locator("#live-preview")
    preview.locator("em", has_text="back").wait_for()
    errors = preview.locator(".body-error").all_inner_texts()
    assert errors[0] == "Line 3: the card needs a title: or an article: line."
    assert errors[1].startswith("Line 4: a card line must start with one of")
    screenshot(page, "desk-live-preview-1280")
    page.set_viewport_size({"width": PHONE, "height": 900})
    body_box = page.locator("#id_body").bounding_box()
    preview_box = preview.bounding_box()
    assert preview_box["y"] >= body_box["y"] + body_box["height"], "on a phone it goes below"
    screenshot(page, "desk-live-preview-375")
    assert console_errors == []


def test_bylines_are_reordered_with_the_arrow_buttons_and_by_dragging(
    live_server, page, user_in_role, console_errors
):
    user_in_role("Editor", "desk")
    elsa, rachel = AuthorFactory(name="Elsa Court"), AuthorFactory(name="Rachel Amran")
    article = article_in(Status.DRAFT, owner=None, authors=[elsa, rachel])
    log_in(page, live_server, "desk")
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    page.goto(url)

    assert not page.locator("#id_bylines-0-position").is_visible()
    page.get_by_role("button", name="Move Rachel Amran up").focus()
    page.keyboard.press("Enter")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert [a.name for a in Article.objects.get().ordered_authors] == [
        "Rachel Amran",
        "Elsa Court",
    ]

    page.goto(url)
    rows = page.locator("#bylines-group tbody tr.has_original")
    rows.nth(1).locator(".byline-handle").drag_to(rows.nth(0), target_position={"x": 5, "y": 2})
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    assert [a.name for a in Article.objects.get().ordered_authors] == [
        "Elsa Court",
        "Rachel Amran",
    ]
    assert console_errors == []


def test_a_writer_starts_with_their_own_byline_and_submits_with_the_button(
    live_server, page, user_in_role, console_errors
):
    writer = user_in_role("Contributor", "writer")
    AuthorFactory(name="Rachel Amran", user=writer)
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    assert "Rachel Amran" in page.locator("#bylines-0 .select2-selection").inner_text()

    page.fill("#id_headline", "Volunteers rebuild a library in Chernihiv")
    page.fill("#id_body", "The library reopened on Saturday.")
    page.get_by_role("button", name="Submit for review").click()

    assert page.locator(".messagelist .success").inner_text().startswith("Submitted for review")
    article = Article.objects.get()
    assert article.status == Status.REVIEW
    assert [a.name for a in article.ordered_authors] == ["Rachel Amran"]
    assert console_errors == []


def test_the_picture_picker_puts_a_library_picture_in_the_body(
    live_server, page, user_in_role, console_errors, screenshot
):
    user_in_role("Editor", "desk")
    picture = MediaImage.objects.create(image=image_file(size=(1200, 800)), alt="Kyiv at night")
    log_in(page, live_server, "desk")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_body", "First paragraph.")

    page.get_by_role("button", name="Insert picture").click()
    page.locator("#picker-search").fill("night")
    page.locator(".desk-picker__choice", has_text="Kyiv at night").click()

    assert (
        page.input_value("#id_body") == f"First paragraph.\n\n:::image\nid: {picture.pk}\n:::\n\n"
    )
    preview_image = page.locator("#live-preview img[alt='Kyiv at night']")
    preview_image.wait_for()
    assert preview_image.evaluate("img => img.naturalWidth") > 0
    assert console_errors == []


def test_a_second_editor_sees_who_has_the_article_open(
    live_server, browser, page, user_in_role, console_errors
):
    user_in_role("Editor", "desk")
    user_in_role("Chief editor", "chief")
    article = article_in(Status.REVIEW, owner=None)
    url = f"{live_server.url}/admin/articles/article/{article.pk}/change/"
    log_in(page, live_server, "desk")
    page.goto(url)

    other = browser.new_context(viewport={"width": PHONE, "height": 900})
    second = other.new_page()
    log_in(second, live_server, "chief")
    second.goto(url)
    banner = second.locator("#presence")
    assert banner.is_visible()
    assert banner.inner_text().startswith("desk (since ")
    other.close()
    assert console_errors == []
