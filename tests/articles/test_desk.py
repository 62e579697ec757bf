"""The change form as an editor uses it: workflow buttons, review notes, bylines, the dashboard."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django.utils.html import strip_tags

from articles.models import Article, ReviewNote, Status
from newsroom.models import AuditEntry
from tests.factories import AuthorFactory, article_in, change_form, change_url
from tests.html import find, parse, text

pytestmark = pytest.mark.django_db

D, R, S, P, U = Status.DRAFT, Status.REVIEW, Status.SCHEDULED, Status.PUBLISHED, Status.UNPUBLISHED


def buttons(page):
    """The labels of the workflow buttons on a change form page."""
    section = page.split('id="workflow"', 1)[1].split("</section>", 1)[0]
    pressed = re.findall(r'name="_workflow" value="[^"]+"[^>]*>([^<]+)<', section)
    opened = re.findall(r'<summary class="button">([^<]+)<', section)
    return sorted(pressed + opened)


def press(client, article, button, **fields):
    data = change_form(article, _workflow=button, **fields)
    return client.post(change_url(article), data, follow=True)


def text_of(content, selector):
    """The words of the element with id `selector` ("#id") as a reader reads them."""
    page = content.decode() if isinstance(content, bytes) else content
    return text(find(parse(page), id=selector.removeprefix("#")))


def shown_messages(response):
    return [strip_tags(str(message)) for message in response.context["messages"]]


@pytest.fixture
def desk(client, user_in_role):
    user = user_in_role("Editor", "desk")
    user.email = "desk@example.com"
    user.save()
    client.force_login(user)
    return client


@pytest.fixture
def writer(user_in_role):
    user = user_in_role("Contributor", "writer")
    user.email = "writer@example.com"
    user.save()
    return user


def test_an_editor_sees_the_moves_of_an_article_in_review_as_buttons(desk):
    article = article_in(R, owner=None)
    page = desk.get(change_url(article)).content.decode()
    assert buttons(page) == [
        "Publish now",
        "Schedule",
        "Schedule…",
        "Send back to writer",
        "Send back with this note",
    ]


def test_a_writer_sees_only_submit_on_a_draft_and_withdraw_in_review(client, writer):
    client.force_login(writer)
    draft = article_in(D, owner=writer)
    in_review = article_in(R, owner=writer)
    assert buttons(client.get(change_url(draft)).content.decode()) == ["Submit for review"]
    assert buttons(client.get(change_url(in_review)).content.decode()) == ["Withdraw"]


def test_publish_now_puts_the_article_out_and_says_where_readers_see_it(
    desk, writer, client, django_capture_on_commit_callbacks, run_worker
):
    article = article_in(R, owner=None, authors=[AuthorFactory(user=writer)])

    with django_capture_on_commit_callbacks(execute=True):
        response = press(desk, article, "publish")

    article.refresh_from_db()
    assert article.status == P and article.is_public
    assert shown_messages(response) == [f"Published — live at /news/{article.slug}/"]
    assert f'<a href="/news/{article.slug}/">' in response.content.decode()
    assert client.get(f"/news/{article.slug}/").status_code == 200
    run_worker()
    assert [m.to for m in mail.outbox] == [["writer@example.com"]]
    assert AuditEntry.objects.filter(action="published", user__username="desk").exists()


def test_publish_now_saves_the_edits_made_in_the_same_form(desk):
    article = article_in(R, owner=None, headline="Before")
    press(desk, article, "publish", headline="After the desk's edit")
    article.refresh_from_db()
    assert (article.headline, article.status) == ("After the desk's edit", P)


def test_schedule_says_when_in_the_newsrooms_time_zone(desk):
    article = article_in(R, owner=None)

    response = press(desk, article, "schedule", _schedule_at="2030-01-22T09:00")

    article.refresh_from_db()
    assert article.status == S
    assert timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M") == (
        "2030-01-22 09:00"
    )
    assert shown_messages(response) == [
        f"Scheduled for January 22, 2030, 09:00 (Kyiv) — readers will see it at "
        f"/news/{article.slug}/"
    ]


def test_scheduling_for_a_time_gone_by_is_refused(desk):
    article = article_in(R, owner=None)
    response = press(desk, article, "schedule", _schedule_at="2020-01-22T09:00")
    assert "Choose a publication time in the future" in response.content.decode()
    article.refresh_from_db()
    assert article.status == R


def test_a_schedule_time_that_is_not_a_time_is_refused_clearly(desk):
    article = article_in(R, owner=None)
    response = press(desk, article, "schedule", _schedule_at="next tuesday")
    assert "“next tuesday” is not a date and time" in response.content.decode()


def test_send_back_needs_a_note_and_puts_it_in_the_thread_and_the_writers_mail(
    desk, writer, django_capture_on_commit_callbacks, run_worker
):
    article = article_in(R, owner=writer, authors=[AuthorFactory(user=writer)])

    refused = press(desk, article, "send_back", _workflow_note="  ")
    assert "Say in the note what the writer should change" in refused.content.decode()
    article.refresh_from_db()
    assert article.status == R

    with django_capture_on_commit_callbacks(execute=True):
        response = press(desk, article, "send_back", _workflow_note="Add a source for the figures.")

    article.refresh_from_db()
    assert article.status == D
    assert shown_messages(response) == [
        "Sent back to the writer with your note — it is a draft again, not seen by readers."
    ]
    note = ReviewNote.objects.get()
    assert (note.text, note.written_by.username, note.sent_back) == (
        "Add a source for the figures.",
        "desk",
        True,
    )
    assert "Add a source for the figures." in text_of(response.content, "#review-notes")
    run_worker()
    (sent,) = mail.outbox
    assert sent.to == ["writer@example.com"]
    assert "Their note: Add a source for the figures." in sent.body


def test_submitting_tells_the_editors(
    client, writer, desk, django_capture_on_commit_callbacks, run_worker
):
    client.force_login(writer)
    article = article_in(D, owner=writer)
    with django_capture_on_commit_callbacks(execute=True):
        response = press(client, article, "submit")
    assert shown_messages(response) == [
        "Submitted for review — the editors are told, and it waits in their review queue."
    ]
    run_worker()
    assert [m.to for m in mail.outbox] == [["desk@example.com"]]


def test_submitting_or_publishing_without_an_author_is_refused_saying_so(desk):
    article = article_in(D, owner=None, authors=[])
    for button in ["submit", "publish"]:
        response = press(desk, article, button)
        assert "Add at least one author before" in response.content.decode()
        article.refresh_from_db()
        assert article.status == D
    response = desk.post(change_url(article), change_form(article, status=P))
    assert "Add at least one author before publishing it" in response.content.decode()
    article.refresh_from_db()
    assert article.status == D


def byline_errors(response):
    """The message shown in the change form's Authors box."""
    group = find(parse(response.content.decode()), id="bylines-group")
    return text(find(group, "ul", "errorlist"))


@pytest.mark.parametrize("status", [R, S, P])
def test_removing_the_last_author_of_an_article_in_review_scheduled_or_out_is_refused(desk, status):
    article = article_in(status, owner=None, headline="Kept byline")
    response = desk.post(change_url(article), change_form(article, **{"bylines-0-DELETE": "on"}))
    assert response.status_code == 200
    label = Status(status).label
    assert byline_errors(response) == (
        f"An article that is “{label}” needs at least one author: the byline may not be empty."
    )
    assert article.bylines.count() == 1


def test_unpublishing_while_removing_the_last_author_is_allowed(desk):
    article = article_in(P, owner=None)
    response = press(desk, article, "unpublish", **{"bylines-0-DELETE": "on"})
    assert shown_messages(response) == [
        f"Unpublished — readers no longer see /news/{article.slug}/"
    ]
    assert not article.bylines.exists()


def test_the_publish_action_in_the_list_skips_articles_without_an_author(desk):
    article = article_in(D, owner=None, headline="No byline", authors=[])
    response = desk.post(
        "/admin/articles/article/",
        {"action": "publish", "_selected_action": [article.pk]},
        follow=True,
    )
    assert shown_messages(response) == [
        "Published 0 article(s). Add an author first to “No byline”: the byline is empty."
    ]


def test_a_writer_cannot_press_publish_by_posting_the_button(client, writer):
    client.force_login(writer)
    article = article_in(D, owner=writer)
    response = press(client, article, "publish")
    assert "You may not do that to an article that is “Draft”" in response.content.decode()
    article.refresh_from_db()
    assert article.status == D and not mail.outbox


@pytest.mark.parametrize(
    ("old", "button", "new", "message"),
    [
        (P, "unpublish", U, "Unpublished — readers no longer see /news/{slug}/"),
        (S, "withdraw", D, "Withdrawn — it is a draft again, not seen by readers."),
        (U, "withdraw", D, "Withdrawn — it is a draft again, not seen by readers."),
    ],
)
def test_each_button_says_what_happened(desk, old, button, new, message):
    article = article_in(old, owner=None)
    response = press(desk, article, button)
    article.refresh_from_db()
    assert article.status == new
    assert shown_messages(response) == [message.format(slug=article.slug)]


def test_the_status_list_still_moves_the_article_and_tells_the_authors(
    desk, writer, django_capture_on_commit_callbacks, run_worker
):
    article = article_in(R, owner=None, authors=[AuthorFactory(user=writer)])
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(change_url(article), change_form(article, status=P))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == P
    run_worker()
    assert [m.to for m in mail.outbox] == [["writer@example.com"]]


# Review notes ------------------------------------------------------------------------------


def test_a_note_is_added_to_the_thread_with_who_and_when(desk):
    article = article_in(R, owner=None)
    with time_machine.travel(timezone.make_aware(timezone.datetime(2024, 1, 22, 9, 5)), tick=False):
        response = desk.post(
            f"/admin/articles/article/{article.pk}/notes/",
            {"text": "Check the spelling of Chernihiv."},
            follow=True,
        )
    notes = text_of(response.content, "#review-notes")
    assert "Check the spelling of Chernihiv." in notes
    assert "desk" in notes and "January 22, 2024, 09:05 (Kyiv)" in notes


def test_a_note_added_by_the_page_script_comes_back_as_its_html(desk):
    article = article_in(R, owner=None)
    response = desk.post(
        f"/admin/articles/article/{article.pk}/notes/",
        {"text": "Looks good <b>to me</b>"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert "Looks good &lt;b&gt;to me&lt;/b&gt;" in response.json()["html"]


def test_an_empty_note_is_refused(desk):
    article = article_in(R, owner=None)
    response = desk.post(
        f"/admin/articles/article/{article.pk}/notes/",
        {"text": " "},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"error": "Write something in the note before adding it."}
    assert not ReviewNote.objects.exists()


def test_a_writer_cannot_add_notes_to_someone_elses_article(client, writer):
    client.force_login(writer)
    article = article_in(R, owner=None)
    response = client.post(f"/admin/articles/article/{article.pk}/notes/", {"text": "Hi"})
    assert response.status_code == 404
    assert not ReviewNote.objects.exists()


def test_notes_are_never_on_the_public_page(desk, client):
    article = article_in(P, owner=None)
    ReviewNote.objects.create(article=article, text="Internal: the source asked not to be named")
    client.logout()
    assert "Internal" not in client.get(f"/news/{article.slug}/").content.decode()


# Dashboard ---------------------------------------------------------------------------------


def test_the_review_queue_says_how_long_since_the_article_was_submitted(client, writer, desk):
    client.force_login(writer)
    article = article_in(D, owner=writer)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        press(client, article, "submit")
    ReviewNote.objects.create(article=article, written_by=writer, text="Ready when you are.")
    with time_machine.travel(start + timedelta(hours=3, minutes=5), tick=False):
        client.force_login(desk_user())
        queue = text_of(client.get("/admin/").content, "#review-queue")
    assert "waiting 3 hours, 5 minutes" in queue
    assert "Ready when you are." in queue


def test_the_latest_review_note_is_on_the_dashboard_with_who_wrote_it(writer, desk):
    article = article_in(R, owner=writer, headline="Bridge reopens")
    with time_machine.travel(timezone.now() - timedelta(minutes=5)):
        ReviewNote.objects.create(article=article, written_by=writer, text="Ready when you are.")
    ReviewNote.objects.create(article=article, written_by=desk_user(), text="Which bridge?")

    queue = text_of(desk.get("/admin/").content, "#review-queue")
    assert "Latest note, desk: Which bridge?" in queue
    assert "Ready when you are." not in queue

    press(desk, article, "send_back", _workflow_note="Name the bridge and add a second source.")
    desk.force_login(writer)  # the writer, at their own dashboard
    drafts = text_of(desk.get("/admin/").content, "#my-drafts")
    assert "Bridge reopens" in drafts
    assert "Latest note, desk: Name the bridge and add a second source." in drafts


def desk_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="desk")


def test_a_freshly_submitted_article_waits_less_than_a_minute_not_zero_minutes(desk):
    article_in(R, owner=None, headline="Just in")
    queue = text_of(desk.get("/admin/").content, "#review-queue")
    assert "waiting less than a minute" in queue and "0 minutes" not in queue


def test_the_dashboard_lists_my_latest_ten_notifications(
    client, writer, desk, django_capture_on_commit_callbacks
):
    author = AuthorFactory(user=writer)
    articles = [
        article_in(R, owner=None, headline=f"Story {n}", authors=[author]) for n in range(11)
    ]
    for article in articles:
        with django_capture_on_commit_callbacks(execute=True):
            press(desk, article, "publish")
    client.force_login(writer)
    mine = text_of(client.get("/admin/").content, "#my-notifications")
    assert mine.count("Published: “Story") == 10
    assert "Story 10" in mine and "“Story 0”" not in mine


# Bylines -----------------------------------------------------------------------------------


def test_a_new_article_starts_with_the_writers_own_byline(client, writer):
    AuthorFactory(name="Rachel Amran", user=writer)
    client.force_login(writer)
    page = client.get("/admin/articles/article/add/").content.decode()
    row = page.split('id="bylines-0"', 1)[1].split("</tr>", 1)[0]
    assert re.search(r'<option value="\d+" selected>Rachel Amran</option>', row)


def test_the_writers_own_byline_is_saved_with_the_new_article(client, writer):
    rachel = AuthorFactory(name="Rachel Amran", user=writer)
    client.force_login(writer)
    data = change_form(Article(headline="Volunteers rebuild a library", body="Text."))
    data.update({"slug": "", "loaded_version": "", "status": D})
    data.update({"bylines-TOTAL_FORMS": "1", "bylines-0-author": rachel.pk})
    response = client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302
    assert Article.objects.get().ordered_authors == [rachel]


def test_the_byline_position_is_not_a_box_to_type_in(desk):
    article = article_in(D, owner=None)
    page = desk.get(change_url(article)).content.decode()
    assert re.search(r'<input type="hidden" name="bylines-0-position" value="0"', page)
    blank = re.search(r'<input type="hidden" name="bylines-1-position"[^>]*>', page)[0]
    assert 'value="0"' not in blank


def test_an_author_added_in_the_blank_row_goes_last_not_first(desk):
    elsa, rachel, desk_author = (
        AuthorFactory(name="Elsa Court"),
        AuthorFactory(name="Rachel Amran"),
        AuthorFactory(name="The news desk"),
    )
    article = article_in(D, owner=None, authors=[elsa, rachel])
    data = change_form(article)
    data.update(
        {"bylines-TOTAL_FORMS": "3", "bylines-2-author": desk_author.pk, "bylines-2-position": ""}
    )
    response = desk.post(change_url(article), data)
    assert response.status_code == 302
    assert [a.name for a in article.ordered_authors] == [
        "Elsa Court",
        "Rachel Amran",
        "The news desk",
    ]


def test_positions_written_by_the_ordering_script_reorder_the_byline(desk):
    elsa, rachel = AuthorFactory(name="Elsa Court"), AuthorFactory(name="Rachel Amran")
    article = article_in(D, owner=None, authors=[elsa, rachel])
    data = change_form(article, **{"bylines-0-position": "1", "bylines-1-position": "0"})
    data.update({"bylines-TOTAL_FORMS": "3", "bylines-2-position": "2"})  # the blank row
    response = desk.post(change_url(article), data)
    assert response.status_code == 302
    assert [a.name for a in article.ordered_authors] == ["Rachel Amran", "Elsa Court"]
    assert [b.position for b in article.bylines.all()] == [0, 1]
