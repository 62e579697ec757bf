"""Every date and time in the admin is written one way, in the newsroom's time zone, named."""

import re
from datetime import UTC, datetime

import pytest
import reversion
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from reversion.models import Version

from articles import workflow
from articles.models import Correction, Redirect, Status
from narration.models import Narration
from newsroom.models import AuditEntry, Webhook, WebhookDelivery
from tests.factories import FeedItemFactory, article_in, change_form, change_url
from tests.html import find, parse, text

pytestmark = pytest.mark.django_db

# 19:48 in Kyiv: an evening, so that a 12-hour clock would say "p.m.", in a month whose name
# Django's default format shortens ("Nov.").
MOMENT = datetime(2026, 11, 30, 17, 48, tzinfo=UTC)
DESK = "November 30, 2026, 19:48 (Kyiv)"

SHORT_MONTH = re.compile(r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b")
TWELVE_HOUR = re.compile(r"\b[ap]\.\s?m\.|\d\s?[AP]M\b|\bnoon\b|\bmidnight\b", re.IGNORECASE)
# A moment written for machines, as in an audit note "publication time 2026-11-30 19:48".
MACHINE_TIME = re.compile(r"\b\d{4}-\d\d-\d\d[ T]\d\d:\d\d")


def wrongly_written(words):
    """The moments in `words` not written as the desk writes them."""
    return [
        *TWELVE_HOUR.findall(words),
        *SHORT_MONTH.findall(words),
        *MACHINE_TIME.findall(words),
    ]


@pytest.fixture
def chief(client, user_in_role, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True  # the webhook below is never called
    user = user_in_role("Chief editor", "chief")
    client.force_login(user)
    return client


@pytest.fixture
def pages(user_in_role):
    """The admin's pages that show a moment, each with something made at MOMENT."""
    with time_machine.travel(MOMENT, tick=False):
        article = article_in(Status.REVIEW, owner=None, headline="Evening session")
        with reversion.create_revision():
            workflow.publish(article=article, by=None)
        article.slug = "evening-session-moved"
        article.save()
        Correction.objects.create(article=article, text="An earlier version had the wrong day.")
        redirect = Redirect.objects.get(article=article)
        entry = AuditEntry.objects.get(action=AuditEntry.Action.PUBLISHED)
        item = FeedItemFactory(headline="Sirens in Kyiv", published_at=MOMENT)
        LogEntry.objects.create(
            user=user_in_role("Editor", "desk"),
            content_type=ContentType.objects.get_for_model(item),
            object_id=str(item.pk),
            object_repr=str(item),
            action_flag=CHANGE,
            change_message="[]",
        )
        hook = Webhook.objects.create(
            url="http://127.0.0.1:9000/hook", events=["article.published"]
        )
        delivery = WebhookDelivery.objects.create(
            webhook=hook,
            event="article.published",
            payload="{}",
            attempts=1,
            last_attempt_at=MOMENT,
            last_status_code=200,
            delivered_at=MOMENT,
        )
    older, newer = Version.objects.get_for_object(article).order_by("pk")[:2]
    admin = "/admin"
    return {
        "the article's change form": f"{admin}/articles/article/{article.pk}/change/",
        "the article list": f"{admin}/articles/article/",
        "the article's history": f"{admin}/articles/article/{article.pk}/history/",
        "a revision of the article": (f"{admin}/articles/article/{article.pk}/history/{older.pk}/"),
        "two revisions compared": (
            f"{admin}/articles/article/{article.pk}/history/compare/?from={older.pk}&to={newer.pk}"
        ),
        "the audit log": f"{admin}/newsroom/auditentry/",
        "an audit entry": f"{admin}/newsroom/auditentry/{entry.pk}/change/",
        "the feed items": f"{admin}/feed/feeditem/",
        "a feed item": f"{admin}/feed/feeditem/{item.pk}/change/",
        "a feed item's history": f"{admin}/feed/feeditem/{item.pk}/history/",
        "the webhooks": f"{admin}/newsroom/webhook/",
        "the webhook deliveries": f"{admin}/newsroom/webhookdelivery/",
        "a webhook delivery": f"{admin}/newsroom/webhookdelivery/{delivery.pk}/change/",
        "the old addresses": f"{admin}/articles/redirect/",
        "an old address": f"{admin}/articles/redirect/{redirect.pk}/change/",
    }


def test_every_admin_page_writes_its_moments_as_the_desk_does_with_the_zone_named(chief, pages):
    wrong = {}
    for name, address in pages.items():
        response = chief.get(address)
        assert response.status_code == 200, name
        words = text(parse(response.content.decode()))
        found = wrongly_written(words)
        if name == "the article list":
            # The column's heading names the zone once; its rows give the date and time.
            expected = ["Publication time (Kyiv)", "November 30, 2026, 19:48"]
        else:
            expected = [DESK]
        found += [f"no “{moment}”" for moment in expected if moment not in words]
        if found:
            wrong[name] = found
    assert wrong == {}


def test_the_narration_panel_says_when_the_reading_was_made_as_the_desk_does(editor_client):
    with time_machine.travel(MOMENT, tick=False):
        article = article_in(Status.PUBLISHED, owner=None)
        Narration.objects.create(
            article=article,
            state=Narration.State.READY,
            file_name="evening-session.mp3",
            content_type="audio/mpeg",
            duration=42,
            voice_used="en-us",
            generated_at=MOMENT,
        )
    page = parse(editor_client.get(f"/admin/articles/article/{article.pk}/change/"))
    panel = text(find(page, "div", "narration-state"))
    assert f"made {DESK}" in panel
    assert wrongly_written(panel) == []


def test_a_refused_stale_save_says_when_the_other_save_was_made_as_the_desk_does(chief):
    article = article_in(Status.REVIEW, owner=None)
    stale = change_form(article, headline="Opened before the other save")
    with time_machine.travel(MOMENT, tick=False):
        article.headline = "Saved by someone else"
        article.save()
    response = chief.post(change_url(article), stale)
    page = text(parse(response.content.decode()))
    assert f"Someone else saved this article at {DESK}" in page


def test_autosave_says_when_it_kept_the_copy_as_the_desk_does(chief):
    article = article_in(Status.DRAFT, owner=None)
    with time_machine.travel(MOMENT, tick=False):
        response = chief.post(
            "/admin/articles/article/desk/autosave/", {"article": article.pk, "body": "Half"}
        )
    assert response.json()["text"] == f"Unsaved changes kept at {DESK}."
