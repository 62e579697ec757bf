"""Turn what happens to articles and feed items into webhook deliveries, after commit.

Each state change has one place it happens, and the event comes from there: an article is
published or unpublished by the workflow's services (the `moved` signal), updated by a save
that changes what readers see, or unpublished by its deletion; feed items through feed/signals.
Nothing here is sent from the request: deliveries are stored and queued once the change has
committed, and the worker posts them.
"""

from datetime import datetime

from django.db import transaction
from django.db.models.signals import post_save, pre_delete, pre_save
from django.utils import timezone

from newsroom import tasks
from newsroom.models import Webhook, WebhookDelivery
from newsroom.webhooks import payloads

Event = Webhook.Event


def subscribers(event):
    """Active webhooks that want `event`."""
    return [hook for hook in Webhook.objects.filter(active=True) if hook.wants(event)]


def queue(event, occurred_at, key, build):
    """Store a delivery of `event` for each webhook that wants it, and queue its sending.

    `build` makes the object's data; it is called only when some webhook wants the event, and
    may return None when there is nothing left to tell (the object is gone).
    """
    hooks = subscribers(event)
    if not hooks:
        return []
    data = build()
    if data is None:
        return []
    body = payloads.body(event, occurred_at, key, data)
    with transaction.atomic():
        deliveries = [
            WebhookDelivery.objects.create(
                webhook=hook, event=event, payload=body, next_attempt_at=timezone.now()
            )
            for hook in hooks
        ]
        for delivery in deliveries:
            tasks.deliver_webhook.enqueue(delivery.pk)
    return deliveries


def announce(event, key, build):
    """Queue `event` once the current transaction commits (at once outside of one)."""
    occurred_at = timezone.now()
    tasks.on_commit(lambda: queue(event, occurred_at, key, build))


def announce_now_known(event, key, build):
    """Like announce(), for an object about to go: its data is made now, if anyone wants it."""
    if subscribers(event):
        data = build()
        announce(event, key, lambda: data)


# Articles.


def article_data(pk, public=False):
    """The article's data as committed; None if it is gone (or, with `public`, not public)."""
    from articles.models import Article

    articles = Article.objects.published() if public else Article.objects.all()
    article = articles.for_detail().filter(pk=pk).first()
    return payloads.article(article) if article else None


def article_moved(sender, article, old, was_public, **kwargs):
    """The workflow moved an article: tell of its publication or of its leaving readers."""
    from articles.models import Status

    if article.status == Status.PUBLISHED:
        announce(Event.ARTICLE_PUBLISHED, "article", lambda: article_data(article.pk))
    elif was_public and not article.is_public:
        announce(Event.ARTICLE_UNPUBLISHED, "article", lambda: article_data(article.pk))


def remember_article(sender, instance, raw=False, **kwargs):
    """Before a public article is saved, note what readers see, if a webhook wants updates."""
    if raw or not instance.pk or hasattr(instance, "_webhook_seen"):
        return
    if not subscribers(Event.ARTICLE_UPDATED):
        return
    before = sender.objects.for_detail().filter(pk=instance.pk).first()
    if before is not None and before.is_public:
        instance._webhook_seen = payloads.readers_see(payloads.article(before))


def article_saved(sender, instance, raw=False, **kwargs):
    """After commit, tell of an update when readers see something else than before the save.

    Compared once committed, so that bylines and tags saved after the article count too. Saves
    of one article in one transaction make one comparison, against the first one's "before".
    A scheduled article also wakes the worker at its time, to publish it and tell of that.
    """
    from articles.models import Status

    if raw:
        return
    if instance.status == Status.SCHEDULED and instance.published_at > timezone.now():
        due = instance.published_at
        tasks.on_commit(lambda: tasks.publish_due_articles.using(run_after=due).enqueue())
    if not hasattr(instance, "_webhook_seen") or getattr(instance, "_webhook_pending", False):
        return
    seen, pk, occurred_at = instance._webhook_seen, instance.pk, timezone.now()
    instance._webhook_pending = True

    def compare():
        del instance._webhook_seen, instance._webhook_pending
        data = article_data(pk, public=True)
        if data is not None and payloads.readers_see(data) != seen:
            queue(Event.ARTICLE_UPDATED, occurred_at, "article", lambda: data)

    tasks.on_commit(compare)


def article_deleted(sender, instance, **kwargs):
    """A public article deleted is gone from readers: tell it as unpublished."""
    if instance.is_public:
        announce_now_known(Event.ARTICLE_UNPUBLISHED, "article", lambda: article_data(instance.pk))


# Feed items (called from feed/signals.py, which knows what the item was before the save).

# What a feed item shows readers, besides whether they see it at all.
FEED_ITEM_FIELDS = [
    "headline",
    "summary",
    "published_at",
    "section_id",
    "article_id",
    "url",
    "pinned",
]


def feed_item_data(pk):
    from feed.models import FeedItem

    item = FeedItem.objects.select_related("section", "article").filter(pk=pk).first()
    return payloads.feed_item(item) if item else None


def feed_item_saved(item, before):
    """Tell of a feed item published, updated or taken down by a save (`before`: as it was)."""
    was_public = before is not None and before.is_public
    if item.is_public and not was_public:
        announce(Event.FEED_ITEM_PUBLISHED, "feed_item", lambda: feed_item_data(item.pk))
    elif item.is_public:
        if any(getattr(before, name) != getattr(item, name) for name in FEED_ITEM_FIELDS):
            announce(Event.FEED_ITEM_UPDATED, "feed_item", lambda: feed_item_data(item.pk))
    elif was_public:
        announce_now_known(Event.FEED_ITEM_REMOVED, "feed_item", lambda: payloads.feed_item(item))
    if item.is_public or not item.goes_out_at:
        return
    if before is None or before.goes_out_at != item.goes_out_at:
        # Readers will see it by the clock, with no save to tell of it: wake up then.
        pk, due = item.pk, item.goes_out_at
        tasks.on_commit(
            lambda: tasks.announce_feed_item_out.using(run_after=due).enqueue(pk, due.isoformat())
        )


def feed_item_deleted(item):
    if item.is_public:
        announce_now_known(Event.FEED_ITEM_REMOVED, "feed_item", lambda: payloads.feed_item(item))


def feed_item_came_out(item_id, published_at):
    """A scheduled feed item's time came: tell of it, unless it was since moved or taken down."""
    from feed.models import FeedItem

    item = FeedItem.objects.filter(pk=item_id).first()
    if item is None or not item.is_public:
        return False
    if item.published_at != datetime.fromisoformat(published_at):
        return False
    queue(
        Event.FEED_ITEM_PUBLISHED, item.published_at, "feed_item", lambda: feed_item_data(item.pk)
    )
    return True


def connect():
    from articles import workflow
    from articles.models import Article

    workflow.moved.connect(article_moved, dispatch_uid="webhooks_article_moved")
    pre_save.connect(remember_article, sender=Article, dispatch_uid="webhooks_article_before")
    post_save.connect(article_saved, sender=Article, dispatch_uid="webhooks_article_saved")
    pre_delete.connect(article_deleted, sender=Article, dispatch_uid="webhooks_article_deleted")
