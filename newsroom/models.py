"""Models that belong to the whole site rather than to articles or the feed."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """Who submitted, published, unpublished, scheduled, restored or edited what, and when."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        WITHDRAWN = "withdrawn", "Sent back to draft"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"
        UNPUBLISHED = "unpublished", "Unpublished"
        RESTORED = "restored", "Restored a revision"
        EDITED = "edited", "Edited"
        HELD = "held", "Held back"

    when = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    action = models.CharField(max_length=12, choices=Action.choices)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField("object", max_length=300)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-when", "-id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit log"
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object")]
        # The table kept its name when the audit log moved here from the articles app.
        db_table = "articles_auditentry"

    def __str__(self):
        who = self.user.get_username() if self.user else "the clock"
        return f"{who} {self.get_action_display().lower()} “{self.object_repr}”"


def new_webhook_secret():
    return "whsec_" + secrets.token_urlsafe(32)


class Webhook(models.Model):
    """An address told of chosen events by a signed JSON POST."""

    class Event(models.TextChoices):
        ARTICLE_PUBLISHED = "article.published", "Article published"
        ARTICLE_UPDATED = "article.updated", "Article updated"
        ARTICLE_UNPUBLISHED = "article.unpublished", "Article unpublished"
        FEED_ITEM_PUBLISHED = "feed_item.published", "Feed item published"
        FEED_ITEM_UPDATED = "feed_item.updated", "Feed item updated"
        FEED_ITEM_REMOVED = "feed_item.removed", "Feed item removed"

    url = models.URLField(
        "address",
        max_length=500,
        help_text="Where the newsroom posts events, e.g. https://partner.example/hooks/newsroom.",
    )
    events = models.JSONField(
        default=list, help_text="What the receiver is told of. Choose at least one."
    )
    secret = models.CharField(max_length=100, default=new_webhook_secret, editable=False)
    active = models.BooleanField(
        default=True, help_text="Untick to stop sending without losing the settings."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url", "id"]

    def __str__(self):
        return self.url

    def wants(self, event):
        return self.active and event in self.events


class WebhookDelivery(models.Model):
    """One event sent, or being sent, to one webhook: the delivery log."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=Webhook.Event.choices)
    delivery_id = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False, help_text="Sent as X-Newsroom-Delivery."
    )
    payload = models.TextField(help_text="The JSON body, exactly as sent.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty once it arrived or was given up."
    )
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.event} to {self.webhook}"

    @property
    def state(self):
        if self.delivered_at:
            return "delivered"
        return "waiting" if self.next_attempt_at else "given up"
