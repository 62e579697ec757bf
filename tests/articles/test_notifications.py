"""Who is told about each move of an article, and what they read."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from articles import notifications, workflow
from articles.models import Notification, Status
from articles.notifications import Facts, Person
from tests.factories import AuthorFactory, article_in

WRITER = Person(1, "Rachel Amran", "rachel@example.com")
CO_WRITER = Person(2, "Elsa Court", "")
DESK = Person(3, "Olena Desk", "desk@example.com")
CHIEF = Person(4, "Chief", "chief@example.com")

FACTS = Facts(
    headline="Volunteers rebuild a library in Chernihiv",
    public_url="https://example.com/news/volunteers-rebuild/",
    desk_url="https://example.com/admin/articles/article/7/change/",
    goes_out="January 22, 2024, 09:00 (Kyiv)",
    note="The second paragraph needs a source.",
    authors=(WRITER, CO_WRITER, WRITER),
    editors=(DESK, CHIEF),
)


def test_a_submission_is_sent_to_the_editors_but_not_to_the_one_who_submitted():
    assert notifications.recipients("submitted", FACTS, by_id=DESK.id) == [CHIEF]
    assert notifications.recipients("submitted", FACTS, by_id=WRITER.id) == [DESK, CHIEF]


@pytest.mark.parametrize("move", ["published", "scheduled", "sent_back"])
def test_publishing_scheduling_and_sending_back_are_sent_to_each_author_once(move):
    assert notifications.recipients(move, FACTS, by_id=DESK.id) == [WRITER, CO_WRITER]
    assert notifications.recipients(move, FACTS, by_id=WRITER.id) == [CO_WRITER]


@pytest.mark.parametrize("move", ["withdrawn", "unpublished"])
def test_withdrawing_and_unpublishing_tell_nobody(move):
    assert notifications.recipients(move, FACTS, by_id=DESK.id) == []


def test_a_move_without_a_message_is_a_clear_error():
    with pytest.raises(ValueError, match="No message is written for the move 'archived'"):
        notifications.recipients("archived", FACTS)


def test_the_published_message_says_who_published_and_where_readers_see_it():
    message = notifications.message("published", FACTS, "Olena Desk", WRITER)
    assert message.subject == "Published: “Volunteers rebuild a library in Chernihiv”"
    assert message.body.startswith("Hello Rachel Amran,")
    assert "Olena Desk published" in message.body
    assert "Readers see it at https://example.com/news/volunteers-rebuild/" in message.body


def test_the_scheduled_message_names_the_time_in_the_newsrooms_zone():
    message = notifications.message("scheduled", FACTS, "Olena Desk", WRITER)
    assert "for January 22, 2024, 09:00 (Kyiv)" in message.body


def test_the_sent_back_message_carries_the_editors_note_and_a_link_to_the_article():
    message = notifications.message("sent_back", FACTS, "Olena Desk", WRITER)
    assert message.subject == "Sent back to you: “Volunteers rebuild a library in Chernihiv”"
    assert "Their note: The second paragraph needs a source." in message.body
    assert FACTS.desk_url in message.body


def test_the_submitted_message_links_the_editor_to_the_change_form():
    (message,) = notifications.messages("submitted", FACTS, DESK)
    assert message.recipient == CHIEF
    assert message.subject == "For review: “Volunteers rebuild a library in Chernihiv”"
    assert f"Open it: {FACTS.desk_url}" in message.body


def test_the_scheduler_is_named_when_the_clock_publishes():
    (first, _) = notifications.messages("published", FACTS, None)
    assert "The scheduler published" in first.body


@pytest.mark.django_db
def test_notify_emails_the_authors_from_the_worker_and_keeps_the_message_for_their_dashboard(
    user_in_role, run_worker, django_capture_on_commit_callbacks
):
    writer = user_in_role("Contributor", "writer")
    writer.email = "writer@example.com"
    writer.save()
    desk = user_in_role("Editor", "desk")
    article = article_in(Status.PUBLISHED, owner=None, authors=[AuthorFactory(user=writer)])

    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify("published", article, desk)
    assert mail.outbox == []  # not inside the request: the job worker sends it

    run_worker()
    (sent,) = mail.outbox
    assert sent.to == ["writer@example.com"]
    assert sent.subject == f"Published: “{article.headline}”"
    assert f"/news/{article.slug}/" in sent.body
    (kept,) = Notification.objects.all()
    assert (kept.recipient, kept.article, kept.subject) == (writer, article, sent.subject)


@pytest.mark.django_db
def test_notify_keeps_a_message_for_someone_without_an_email_address(user_in_role, run_worker):
    writer = user_in_role("Contributor", "writer")
    desk = user_in_role("Editor", "desk")
    article = article_in(Status.DRAFT, owner=writer)

    notifications.notify("submitted", article, writer)
    run_worker()

    assert mail.outbox == []
    assert [n.recipient for n in Notification.objects.all()] == [desk]


def submit(article, by):
    workflow.submit(article=article, by=by)


def publish(article, by):
    workflow.publish(article=article, by=by)


def schedule(article, by):
    workflow.schedule(article=article, by=by, at=timezone.now() + timedelta(days=1))


def send_back(article, by):
    workflow.send_back(article=article, by=by, note="The second paragraph needs a source.")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mover", "old", "move", "told", "subject"),
    [
        ("writer", Status.DRAFT, submit, "desk", "For review"),
        ("desk", Status.REVIEW, publish, "writer", "Published"),
        ("desk", Status.REVIEW, schedule, "writer", "Scheduled"),
        ("desk", Status.REVIEW, send_back, "writer", "Sent back to you"),
    ],
)
def test_a_move_a_person_makes_tells_those_concerned_once_it_is_committed(
    user_in_role, django_capture_on_commit_callbacks, mover, old, move, told, subject
):
    people = {"writer": user_in_role("Contributor", "writer")}
    people["desk"] = user_in_role("Editor", "desk")
    article = article_in(old, owner=people["writer"])

    with django_capture_on_commit_callbacks(execute=True):
        move(article, people[mover])
        assert not Notification.objects.exists()

    (kept,) = Notification.objects.all()
    assert kept.recipient == people[told]
    assert kept.subject == f"{subject}: “{article.headline}”"


@pytest.mark.django_db
def test_an_article_the_clock_puts_out_at_its_time_tells_nobody(
    user_in_role, django_capture_on_commit_callbacks, time_machine
):
    article = article_in(Status.SCHEDULED, owner=user_in_role("Contributor", "writer"))
    user_in_role("Editor", "desk")
    time_machine.move_to(article.published_at + timedelta(minutes=1))

    with django_capture_on_commit_callbacks(execute=True):
        assert [due.pk for due in workflow.publish_due().published] == [article.pk]

    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_sending_back_without_a_note_is_refused_and_the_article_stays_in_review(user_in_role):
    article = article_in(Status.REVIEW, owner=user_in_role("Contributor", "writer"))

    with pytest.raises(workflow.WorkflowRefused, match="Say in a note what the writer"):
        workflow.send_back(article=article, by=user_in_role("Editor", "desk"), note="  ")

    article.refresh_from_db()
    assert article.status == Status.REVIEW
    assert not article.review_notes.exists()
