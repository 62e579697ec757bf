"""One article's whole day at the desk, in a browser, as the writer and the editor live it.

A writer drafts with two co-authors, a picture from the library and a card, watching the live
preview, and submits; the editor is told, adds a note and sends it back; the writer fixes it,
links a related article and resubmits; the editor publishes from the review queue, then adds a
correction and changes the address. Readers see all of it, and the old address still leads there.
"""

import pytest
from django.core import mail

from articles.models import Article, MediaImage, Status
from tests.browser import choose_in_autocomplete, log_in
from tests.factories import AuthorFactory, DeskFactory, article_in, image_file

pytestmark = pytest.mark.e2e

HEADLINE = "Volunteers rebuild a library in Chernihiv"
BODY = (
    "The library reopened on Saturday, two years after a missile hit it.\n\n"
    ":::card\ntitle: How to help the library\nlink: https://example.org/help\n:::\n\n"
)


def open_from_dashboard(page, live_server, section, text):
    page.goto(f"{live_server.url}/admin/")
    page.locator(f"#{section} a", has_text=text).first.click()
    page.wait_for_selector("#workflow")


def test_a_writer_and_an_editor_take_an_article_from_draft_to_corrected_and_moved(
    live_server, page, user_in_role, run_worker, console_errors, screenshot
):
    writer = user_in_role("Contributor", "writer")
    writer.email = "writer@example.com"
    writer.save()
    desk = user_in_role("Editor", "desk")
    desk.email = "desk@example.com"
    desk.save()
    AuthorFactory(name="Rachel Amran", user=writer)
    DeskFactory()
    MediaImage.objects.create(image=image_file(size=(1200, 800)), alt="The library at night")
    earlier = article_in(
        Status.PUBLISHED, owner=None, headline="Chernihiv counts the cost of the strike"
    )

    # The writer drafts, with a co-author, a card and a library picture, watching the preview.
    log_in(page, live_server, "writer")
    page.goto(f"{live_server.url}/admin/articles/article/add/")
    page.fill("#id_headline", HEADLINE)
    page.click("#bylines-group .add-row a")
    choose_in_autocomplete(page, 1, "The Kyiv Independent news desk")
    page.fill("#id_body", BODY)
    page.get_by_role("button", name="Insert picture").click()
    page.locator("#picker-search").fill("library")
    page.locator(".desk-picker__choice", has_text="The library at night").click()
    preview = page.locator("#live-preview")
    preview.locator("img[alt='The library at night']").wait_for()
    assert "How to help the library" in preview.inner_text()
    assert "two years after a missile hit it" in preview.inner_text()
    page.get_by_role("button", name="Submit for review").click()
    assert page.locator(".messagelist .success").inner_text().startswith("Submitted for review")
    article = Article.objects.get(headline=HEADLINE)
    assert article.status == Status.REVIEW

    # The editor is told by email and on the dashboard, adds a note and sends it back.
    run_worker()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["desk@example.com"], f"For review: “{HEADLINE}”")
    ]
    log_in(page, live_server, "desk")
    page.goto(f"{live_server.url}/admin/")
    assert f"For review: “{HEADLINE}”" in page.locator("#my-notifications").inner_text()
    open_from_dashboard(page, live_server, "review-queue", HEADLINE)
    page.fill("#id_note_text", "Lovely piece. Who paid for the rebuilding?")
    page.get_by_role("button", name="Add note").click()
    notes = page.locator("#review-notes-list")
    notes.get_by_text("Who paid for the rebuilding?").wait_for()
    page.locator("summary", has_text="Send back to writer").click()
    page.fill("#id__workflow_note", "Please name the donors in the second paragraph.")
    page.get_by_role("button", name="Send back with this note").click()
    assert page.locator(".messagelist").inner_text().startswith("Sent back to the writer")
    article.refresh_from_db()
    assert article.status == Status.DRAFT

    # The writer reads the note, fixes the text, links an earlier story and resubmits.
    mail.outbox.clear()
    run_worker()
    [sent_back] = mail.outbox
    assert sent_back.to == ["writer@example.com"]
    assert "Please name the donors in the second paragraph." in sent_back.body
    log_in(page, live_server, "writer")
    open_from_dashboard(page, live_server, "my-notifications", HEADLINE)
    assert "Please name the donors" in page.locator("#review-notes-list").inner_text()
    page.fill(
        "#id_body",
        page.input_value("#id_body")
        + "\n\nThe work was paid for by the city and by readers of the Chernihiv Courier.\n",
    )
    page.locator("summary", has_text="More").click()
    page.locator("#id_related_articles + .select2 .select2-selection").click()
    page.keyboard.type("counts")
    page.locator(".select2-results__option", has_text=earlier.headline).click()
    page.get_by_role("button", name="Submit for review").click()
    assert page.locator(".messagelist .success").inner_text().startswith("Submitted for review")

    # The editor publishes it from the review queue in at most three clicks.
    log_in(page, live_server, "desk")
    page.goto(f"{live_server.url}/admin/")
    clicks = 0
    page.locator("#review-queue a", has_text=HEADLINE).click()
    clicks += 1
    page.get_by_role("button", name="Publish now").click()
    clicks += 1
    assert clicks <= 3
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    old_address = article.get_absolute_url()
    assert page.locator(".messagelist .success").inner_text() == (
        f"Published — live at {old_address}"
    )

    # A day later: a correction, and a shorter address.
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    corrections = page.locator(".inline-group", has_text="Corrections and editor")
    corrections.locator(".add-row a").click()
    page.locator("#id_corrections-0-text").fill(
        "An earlier version gave the wrong year for the strike."
    )
    page.fill("#id_slug", "chernihiv-library-rebuilt")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success, .errornote")
    assert page.locator(".errornote").count() == 0, page.locator(".errorlist").all_inner_texts()

    # Readers see the whole article, and the old address leads to the new one.
    moved = page.request.get(f"{live_server.url}{old_address}", max_redirects=0)
    assert moved.status == 301
    assert moved.headers["location"].endswith("/news/chernihiv-library-rebuilt/")
    page.goto(f"{live_server.url}{old_address}")
    assert page.url == f"{live_server.url}/news/chernihiv-library-rebuilt/"
    assert page.locator("h1").inner_text() == HEADLINE
    assert "Rachel Amran and The Kyiv Independent news desk" in page.locator(".byline").inner_text()
    body = page.locator(".body")
    assert "Chernihiv Courier" in body.inner_text()
    assert "How to help the library" in body.inner_text()
    picture = body.locator("img[alt='The library at night']")
    assert picture.evaluate("img => img.naturalWidth") > 0
    correction = page.locator(".corrections .correction").inner_text()
    assert correction.startswith("Correction, ")
    assert correction.endswith("An earlier version gave the wrong year for the strike.")
    related = page.locator(".related-articles")
    assert earlier.headline in related.inner_text()
    screenshot(page, "desk-story-published-1280")
    screenshot(page, "desk-story-published-375", width=375)
    assert console_errors == []
