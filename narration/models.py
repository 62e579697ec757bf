from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse

from articles.models import Article, bylines_prefetch


def storage():
    """Where narration files are kept (NARRATION_ROOT), looked up when asked."""
    root = settings.NARRATION_ROOT or Path(settings.MEDIA_ROOT).parent / "narration"
    return FileSystemStorage(location=root)


class NarrationQuerySet(models.QuerySet):
    def ready(self):
        """Narrations with a sound file: ready, or being made again (the old one still plays),
        or failed to be made again."""
        return self.exclude(file_name="")

    def public(self):
        """Narrations readers may hear: ready, of an article readers may see."""
        return self.ready().filter(article__in=Article.objects.published())

    def for_podcast(self):
        return (
            self.public()
            .select_related("article", "article__section")
            .prefetch_related(
                models.Prefetch("article__bylines", queryset=bylines_prefetch().queryset)
            )
            .order_by("-article__published_at", "-article_id")
        )


class Narration(models.Model):
    """An article read aloud: the state of its narration, its sound file and its timings."""

    class State(models.TextChoices):
        NONE = "none", "None"
        QUEUED = "queued", "Queued"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="narration")
    state = models.CharField(max_length=10, choices=State.choices, default=State.NONE)
    reason = models.TextField(blank=True, help_text="Why the last attempt failed.")
    voice = models.CharField(
        max_length=100,
        blank=True,
        help_text="The voice that reads this article. Blank: the newsroom's default voice.",
    )
    file_name = models.CharField(max_length=255, blank=True, editable=False)
    content_type = models.CharField(max_length=50, blank=True, editable=False)
    size = models.PositiveIntegerField(default=0, editable=False)
    duration = models.FloatField(default=0, editable=False, help_text="Seconds.")
    backend = models.CharField(max_length=20, blank=True, editable=False)
    voice_used = models.CharField(max_length=100, blank=True, editable=False)
    words = models.PositiveIntegerField(default=0, editable=False)
    digest = models.CharField(
        max_length=64, blank=True, editable=False, help_text="Fingerprint of what was read."
    )
    timings = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="[paragraph number, start, end] for each body paragraph read, in seconds.",
    )
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    generated_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = NarrationQuerySet.as_manager()

    class Meta:
        ordering = ["-generated_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["none", "queued", "ready", "failed"]),
                name="narration_state_valid",
            ),
        ]
        indexes = [models.Index(fields=["state"], name="narration_state")]

    def __str__(self):
        return f"Narration of “{self.article}”"

    def get_absolute_url(self):
        return reverse("narration:audio", kwargs={"slug": self.article.slug})

    @property
    def is_ready(self):
        """Whether there is a sound to play (see NarrationQuerySet.ready)."""
        return bool(self.file_name)

    def path(self):
        return storage().path(self.file_name)
