"""Models that belong to the whole site rather than to articles or the feed."""

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
