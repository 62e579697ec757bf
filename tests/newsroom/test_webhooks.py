"""Outgoing webhooks: signed deliveries after commit, retries, the address rule, the admin."""

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
import time_machine
from django.db import DatabaseError
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from articles import workflow
from articles.models import Status
from newsroom.models import Webhook, WebhookDelivery
from tests.factories import ArticleFactory, AuthorFactory, change_form, change_url

pytestmark = pytest.mark.django_db

Event = Webhook.Event


def verify(secret, headers, body, tolerance=300):
    """Check a delivery as a receiver would: the signature, then the timestamp's age."""
    fields = dict(part.split("=", 1) for part in headers["X-Newsroom-Signature"].split(","))
    signed = fields["t"].encode() + b"." + body
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    fresh = abs(timezone.now().timestamp() - int(fields["t"])) <= tolerance
    return hmac.compare_digest(expected, fields["v1"]) and fresh


def hook_for(receiver, *events):
    return Webhook.objects.create(url=receiver.url, events=list(events or Event.values))


def draft(**kwargs):
    """A draft with an author, so that the desk lets it be published."""
    kwargs.setdefault("authors", [AuthorFactory()])
    return ArticleFactory(status=Status.DRAFT, published_at=None, **kwargs)


def test_publishing_sends_one_signed_delivery_once_committed_and_the_worker_runs(
    receiver, run_worker, django_capture_on_commit_callbacks
):
    hook = hook_for(receiver, Event.ARTICLE_PUBLISHED)
    article = draft(headline="Kyiv metro reopens", authors=[AuthorFactory(name="Olena Ivanova")])

    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article=article, by=None)
        run_worker()
        assert receiver.requests == []
        assert not WebhookDelivery.objects.exists()
        assert not DBTaskResult.objects.exists()
    assert receiver.requests == []  # queued, but only the worker sends
    run_worker()

    [(path, headers, body)] = receiver.requests
    assert path == "/hooks/newsroom"
    assert verify(hook.secret, headers, body)
    assert not verify("whsec_someone-else", headers, body)
    assert headers["X-Newsroom-Event"] == "article.published"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    delivery = WebhookDelivery.objects.get()
    assert headers["X-Newsroom-Delivery"] == str(delivery.delivery_id)
    sent = json.loads(body)
    assert sent["event"] == "article.published"
    assert sent["article"]["headline"] == "Kyiv metro reopens"
    assert sent["article"]["url"] == f"http://127.0.0.1:8000/news/{article.slug}/"
    assert sent["article"]["authors"][0]["name"] == "Olena Ivanova"
    assert sent["article"]["authors"][0]["url"].startswith("http://127.0.0.1:8000/authors/")
    assert abs(timezone.now() - timezone.datetime.fromisoformat(sent["occurred_at"])) < timedelta(
        minutes=1
    )
    assert delivery.state == "delivered"
    assert delivery.attempts == 1
    assert delivery.last_status_code == 204

    run_worker()
    assert len(receiver.requests) == 1


def test_a_publish_that_is_rolled_back_sends_nothing(
    receiver, run_worker, django_capture_on_commit_callbacks
):
    hook_for(receiver)
    article = draft()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.publish(article=article, by=None)
    assert callbacks  # what would have run had the transaction committed
    run_worker()
    assert receiver.requests == []
    assert not WebhookDelivery.objects.exists()


def test_a_failing_receiver_is_tried_again_after_each_delay_then_given_up(
    receiver, run_worker, django_capture_on_commit_callbacks, settings, admin_client
):
    settings.WEBHOOKS_RETRY_DELAYS = [60, 300]
    receiver.status = 500
    hook_for(receiver, Event.ARTICLE_PUBLISHED)
    start = timezone.now().replace(microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            workflow.publish(article=draft(), by=None)
        run_worker()
        delivery = WebhookDelivery.objects.get()
        assert (delivery.attempts, delivery.last_status_code) == (1, 500)
        assert delivery.next_attempt_at == start + timedelta(seconds=60)

        clock.shift(59)
        run_worker()
        assert len(receiver.requests) == 1  # not before its time

        clock.shift(1)
        run_worker()
        delivery.refresh_from_db()
        assert len(receiver.requests) == 2
        assert delivery.attempts == 2
        assert delivery.next_attempt_at == start + timedelta(seconds=60 + 300)

        clock.shift(300)
        run_worker()
        delivery.refresh_from_db()
        assert len(receiver.requests) == 3
        assert (delivery.attempts, delivery.state, delivery.next_attempt_at) == (
            3,
            "given up",
            None,
        )
        assert delivery.last_error == "Answered 500 Internal Server Error."

        clock.shift(timedelta(days=1))
        run_worker()
        assert len(receiver.requests) == 3

    page = admin_client.get("/admin/newsroom/webhookdelivery/")
    assert page.status_code == 200
    assert "given up" in page.content.decode()
    detail = admin_client.get(f"/admin/newsroom/webhookdelivery/{delivery.pk}/change/")
    assert "Answered 500 Internal Server Error." in detail.content.decode()

    # The receiver is fixed; an editor sends the event again.
    receiver.status = 200
    response = admin_client.post(
        "/admin/newsroom/webhookdelivery/",
        {"action": "redeliver", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert "Queued 1 event(s) to be sent again." in response.content.decode()
    run_worker()
    assert len(receiver.requests) == 4
    assert receiver.requests[3][2] == receiver.requests[0][2]  # the same body
    again = WebhookDelivery.objects.exclude(pk=delivery.pk).get()
    assert again.state == "delivered"


def test_a_receiver_that_recovers_gets_the_delivery_on_the_next_attempt(
    receiver, run_worker, django_capture_on_commit_callbacks
):
    receiver.status = 503
    hook = hook_for(receiver, Event.ARTICLE_PUBLISHED)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            workflow.publish(article=draft(), by=None)
        run_worker()
        receiver.status = 200
        clock.shift(60)
        run_worker()
        delivery = WebhookDelivery.objects.get()
        assert (delivery.state, delivery.attempts, delivery.last_error) == ("delivered", 2, "")
        # Each attempt is signed afresh, at its own time.
        (_, first, body), (_, second, _) = receiver.requests
        assert first["X-Newsroom-Signature"] != second["X-Newsroom-Signature"]
        assert verify(hook.secret, second, body)


def test_redirects_are_not_followed(receiver, run_worker, django_capture_on_commit_callbacks):
    receiver.status = 307
    receiver.answer_headers = {"Location": "http://169.254.169.254/latest/meta-data/"}
    hook_for(receiver, Event.ARTICLE_PUBLISHED)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article=draft(), by=None)
    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert len(receiver.requests) == 1
    assert delivery.state == "waiting"
    assert "a redirect to http://169.254.169.254/latest/meta-data/" in delivery.last_error
    assert "webhooks do not follow redirects" in delivery.last_error


def publish_in_admin(client, article):
    """Publish `article` from its change form, as an editor does, in a transaction that commits."""
    response = client.post(change_url(article), change_form(article, status=Status.PUBLISHED))
    article.refresh_from_db()
    return response


@pytest.mark.django_db(transaction=True)
def test_the_editors_save_succeeds_and_the_delivery_waits_when_the_receiver_is_down(
    settings, closed_port, editor_client, run_worker
):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    Webhook.objects.create(url=f"http://127.0.0.1:{closed_port}/", events=Event.values)
    article = draft(headline="Budget passes")

    assert publish_in_admin(editor_client, article).status_code == 302
    assert article.status == Status.PUBLISHED

    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "waiting"
    assert delivery.last_error.startswith("No answer from 127.0.0.1:")
    assert delivery.next_attempt_at > timezone.now()


@pytest.mark.django_db(transaction=True)
def test_the_editors_save_succeeds_when_the_queue_cannot_take_the_job(
    receiver, editor_client, monkeypatch, caplog
):
    def queue_is_down(*args, **kwargs):
        raise DatabaseError("the queue's table is gone")

    monkeypatch.setattr(DatabaseBackend, "enqueue", queue_is_down)
    hook_for(receiver)
    article = draft()

    assert publish_in_admin(editor_client, article).status_code == 302
    assert article.status == Status.PUBLISHED
    assert "the queue's table is gone" in caplog.text
    assert not DBTaskResult.objects.exists()


def test_the_retry_delays_are_read_from_the_environment_and_bad_ones_are_named(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from newsroom import settings as module

    monkeypatch.setenv("WEBHOOKS_RETRY_DELAYS", "30, 600")
    assert module.env_delays("WEBHOOKS_RETRY_DELAYS", "60") == [30, 600]
    monkeypatch.setenv("WEBHOOKS_RETRY_DELAYS", "60,5m")
    with pytest.raises(ImproperlyConfigured, match="WEBHOOKS_RETRY_DELAYS must be whole numbers"):
        module.env_delays("WEBHOOKS_RETRY_DELAYS", "60")
