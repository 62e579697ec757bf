"""Scheduled articles go out by the clock; publish_scheduled only tidies the status."""

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Status
from newsroom import dates
from newsroom.models import AuditEntry
from tests.factories import article_in, change_form, change_url

pytestmark = pytest.mark.django_db


def test_a_scheduled_article_is_hidden_before_its_time_and_public_after(client, user_in_role):
    client.force_login(user_in_role("Editor", "desk"))
    start = timezone.now().replace(microsecond=0)
    going_out = start + timedelta(hours=2)
    with time_machine.travel(start, tick=False) as traveller:
        article = article_in(Status.REVIEW, owner=None, headline="Embargoed report")
        response = client.post(
            change_url(article),
            change_form(article, status=Status.SCHEDULED, published_at=going_out),
        )
        assert response.status_code == 302
        assert AuditEntry.objects.get().action == "scheduled"
        client.logout()

        traveller.move_to(going_out - timedelta(minutes=1))
        assert client.get(f"/news/{article.slug}/").status_code == 404
        assert "Embargoed report" not in client.get("/").content.decode()
        assert not Article.objects.published().filter(pk=article.pk).exists()

        traveller.move_to(going_out + timedelta(minutes=1))
        assert client.get(f"/news/{article.slug}/").status_code == 200
        assert "Embargoed report" in client.get("/").content.decode()


def test_publish_scheduled_marks_due_articles_published_and_leaves_the_rest(user_in_role):
    due = article_in(Status.SCHEDULED, owner=None, headline="Due now")
    later = article_in(Status.SCHEDULED, owner=None, headline="Due tomorrow")
    with time_machine.travel(due.published_at + timedelta(minutes=5), tick=False):
        later.published_at = timezone.now() + timedelta(days=1)
        later.save()
        out = StringIO()
        call_command("publish_scheduled", stdout=out)
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == Status.PUBLISHED and later.status == Status.SCHEDULED
    assert "1 scheduled article(s) published." in out.getvalue()
    entry = AuditEntry.objects.get()
    assert entry.user is None and entry.object_repr == "Due now"
    assert str(entry) == "the clock published “Due now”"


def test_publish_scheduled_leaves_an_article_without_an_author_scheduled_and_says_so():
    held = article_in(Status.SCHEDULED, owner=None, headline="No byline", authors=[])
    due = article_in(Status.SCHEDULED, owner=None, headline="Due now")
    out = StringIO()

    with time_machine.travel(held.published_at + timedelta(minutes=5), tick=False):
        call_command("publish_scheduled", stdout=out)
        call_command("publish_scheduled", stdout=out)  # run again by cron a minute later

    held.refresh_from_db()
    due.refresh_from_db()
    assert (held.status, due.status) == (Status.SCHEDULED, Status.PUBLISHED)
    lines = out.getvalue().splitlines()
    assert lines[:3] == [
        f"Published “Due now” (scheduled for {dates.desk_time(due.published_at)}).",
        "Not marked published “No byline”: its byline is empty. Add an author to it.",
        "1 scheduled article(s) published, 1 left scheduled without an author.",
    ]
    entry = AuditEntry.objects.get(object_repr="No byline")  # once, not at every run
    assert str(entry) == "the clock held back “No byline”"
    assert entry.note == (
        "Its publication time came with an empty byline, so it was not marked published; "
        "readers see it from that time all the same. Add an author to it."
    )


def test_publish_scheduled_leaves_drafts_and_unpublished_articles_with_past_times_alone():
    due = article_in(Status.SCHEDULED, owner=None, headline="Due now")
    an_hour_ago = timezone.now() - timedelta(hours=1)
    article_in(Status.DRAFT, owner=None, headline="Draft", published_at=an_hour_ago)
    article_in(Status.UNPUBLISHED, owner=None, headline="Pulled")
    out = StringIO()

    with time_machine.travel(due.published_at + timedelta(minutes=5), tick=False):
        call_command("publish_scheduled", stdout=out)

    assert out.getvalue().splitlines()[-1] == "1 scheduled article(s) published."
    statuses = dict(Article.objects.values_list("headline", "status"))
    assert statuses == {
        "Due now": Status.PUBLISHED,
        "Draft": Status.DRAFT,
        "Pulled": Status.UNPUBLISHED,
    }
    assert list(AuditEntry.objects.values_list("object_repr", "note")) == [
        ("Due now", "Scheduled time reached")
    ]


def test_publishing_with_a_future_time_schedules_and_needs_the_right_to_schedule(
    client, user_in_role
):
    client.force_login(user_in_role("Editor", "desk"))
    article = article_in(Status.REVIEW, owner=None)
    later = timezone.now() + timedelta(hours=5)
    response = client.post(
        change_url(article), change_form(article, status=Status.PUBLISHED, published_at=later)
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.SCHEDULED
    assert AuditEntry.objects.get().action == "scheduled"


def test_publishing_a_scheduled_article_puts_it_out_now(client, user_in_role):
    client.force_login(user_in_role("Editor", "desk"))
    article = article_in(Status.SCHEDULED, owner=None)
    response = client.post(change_url(article), change_form(article, status=Status.PUBLISHED))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and article.is_public
