"""Background jobs: what the worker (`python manage.py db_worker`) runs, and how to queue it.

Jobs go through django-tasks' database backend, so a job is a row in the site's own database.
Queue them with `on_commit()`: the job is stored once the editor's save has committed, never
for a save that was rolled back, and a failure to store it is logged instead of failing the
save. Arguments must be JSON: ids and plain values, not model instances.
"""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django_tasks import task


def on_commit(queue):
    """Run `queue` (a function that enqueues jobs) once the current transaction commits.

    Errors are logged, never raised: an editor's save must not fail because the queue could
    not take a job.
    """
    transaction.on_commit(lambda: queue(), robust=True)


@task()
def send_email_task(subject, body, to, from_email=None, html_body=None, reply_to=None):
    """Send one email with Django's mail settings; return how many were sent (0 or 1)."""
    message = EmailMultiAlternatives(subject, body, from_email, to, reply_to=reply_to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    return message.send()


def send_email(*, subject, body, to, from_email=None, html_body=None, reply_to=None):
    """Send an email from the worker, once the current transaction commits."""
    on_commit(
        lambda: send_email_task.enqueue(
            subject, body, list(to), from_email, html_body, list(reply_to or [])
        )
    )


@task()
def deliver_webhook(delivery_id):
    """Make one attempt at a webhook delivery; a failure queues the next attempt."""
    from newsroom.webhooks import delivery

    return delivery.attempt(delivery_id)


@task()
def publish_due_articles():
    """Mark scheduled articles whose time has come as published (queued for that time)."""
    from articles import workflow

    return [article.pk for article in workflow.publish_due().published]


@task()
def announce_feed_item_out(item_id, published_at):
    """Tell webhooks of a scheduled feed item once its time has come, if it still stands."""
    from newsroom.webhooks import events

    return events.feed_item_came_out(item_id, published_at)


@task()
def narrate_article(article_id, force=False):
    """Read an article aloud and keep the sound (narration/generate.py); a failure is retried."""
    from narration import generate

    outcome = generate.run(article_id, force=force)
    return {"result": outcome.result, "why": outcome.why}
