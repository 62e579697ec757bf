from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import mark_safe

from articles import rendering
from articles.models import Article, ChangedForReaders, Section
from newsroom.paths import path_of
from newsroom.text import validate_one_line
from newsroom.visibility import Visibility


class FeedItemQuerySet(models.QuerySet):
    def drawn(self):
        """Items with what drawing one reads: its section and, of its article, what its link
        needs (`FeedItem.link`). The rest of the article's row, its body above all, would be
        made into Python for every item of a list and never read."""
        own = [field.attname for field in self.model._meta.concrete_fields]
        linked = [f"article__{name}" for name in FeedItem.LINK_READS]
        return self.select_related("section", "article").only(*own, *linked)

    def published(self, now=None):
        """What readers may see: published items whose time has come (`now`, by default)."""
        return self.filter(READERS.see(now=now))

    def upcoming(self):
        """Published for a time still ahead."""
        return self.filter(READERS.will_see())

    def before(self, published_at, pk):
        """Items older than the one at (published_at, pk), for keyset paging."""
        # The bound on published_at alone lets the index seek to the page.
        return self.filter(
            Q(published_at__lte=published_at) & (Q(published_at__lt=published_at) | Q(id__lt=pk))
        )

    def changed_since(self, moment, section=None, cap=1000):
        """Visible items that went out, or were edited, after `moment`, in no order.

        What old pages ask (updates.json?since=): it misses an edit that commits after a later
        one. Open pages now ask `changed_after()`.
        """
        return self._changed(Q(published_at__gt=moment), Q(updated_at__gt=moment), section, cap)

    def changed_after(self, position, section=None, cap=1000):
        """Visible items that went out since `position` (a feed.changes.Position), or were
        written by a change it has not seen, in no order."""
        return self._changed(Q(published_at__gt=position.moment), position.unseen(), section, cap)

    def _changed(self, went_out, written, section, cap):
        """Visible items matching `went_out` or `written`, in no order.

        A poll asks for the last few seconds, so the ids come from two range scans, one
        per index, and readers' rule (published, time come) is checked on those few rows
        here: given the same rule in SQL, planners walk the whole feed index instead.
        Sort the result with `newest_first()`. A window of more than `cap` changes falls
        back to one plain, ordered query.
        """
        now = timezone.now()
        columns = ["id", "status", "published_at", "section_id"]
        rows = [
            *self.published(now).filter(went_out).order_by().values_list(*columns)[: cap + 1],
            *self.filter(written).order_by().values_list(*columns)[: cap + 1],
        ]
        if len(rows) > cap:
            fallback = self.published().latest().filter(went_out | written)
            return fallback.filter(section=section) if section else fallback
        visible = {
            pk
            for pk, status, published_at, section_id in rows
            if READERS.can_see(status, published_at, now)
            and (section is None or section_id == section.pk)
        }
        return self.filter(id__in=visible).drawn().order_by()

    def latest(self):
        return self.drawn().order_by("-published_at", "-id")


def newest_first(items, limit):
    """The first `limit` items of a queryset, newest first, sorting here when it is unordered."""
    if items.ordered:
        return list(items[:limit])
    return sorted(items, key=lambda item: (item.published_at, item.pk), reverse=True)[:limit]


class FeedItem(ChangedForReaders, models.Model):
    # What readers see of an item: a save that changes any of these is an update they are
    # told of ("Updated", dateModified). Pinning it or moving it to a section is not.
    READER_FIELDS = ("headline", "summary", "article_id", "url")
    # What `link` reads of the item's article.
    LINK_READS = ("slug", "status", "published_at")

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    headline = models.CharField(max_length=300, validators=[validate_one_line])
    summary = models.TextField(
        blank=True,
        help_text="One short paragraph. *italic*, **bold** and [links](https://…) work.",
    )
    published_at = models.DateTimeField(
        default=timezone.now,
        blank=True,
        help_text="When readers see it: now if left blank. A future time schedules it.",
    )
    section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="feed_items"
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feed_items",
        help_text="The full story, if there is one.",
    )
    url = models.URLField(
        "external link", blank=True, help_text="A link elsewhere, when there is no article of ours."
    )
    summary_rendered = models.TextField(editable=False, blank=True)
    pinned = models.BooleanField(default=False, help_text="Pinned items stay at the top.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the row was last written, whatever changed: open pages redraw an item sent again
    # only if this moved (static/feed/live.js).
    updated_at = models.DateTimeField(auto_now=True)
    modified_at = models.DateTimeField(
        "changed for readers",
        null=True,
        editable=False,
        help_text=(
            "When what readers see last changed: headline, summary or link. Imports keep the "
            "time of the captured page."
        ),
    )
    change_number = models.BigIntegerField(
        default=0,
        editable=False,
        help_text="Set by the database on every write, in commit order: see feed/changes.py.",
    )

    objects = FeedItemQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(
                fields=["status", "-published_at", "-id"], name="feeditem_status_published"
            ),
            models.Index(
                fields=["section", "status", "-published_at", "-id"],
                name="feeditem_section_published",
            ),
            # The few pinned items, found without walking the whole feed.
            models.Index(
                fields=["status", "-published_at", "-id"],
                condition=Q(pinned=True),
                name="feeditem_pinned",
            ),
            models.Index(fields=["updated_at"], name="feeditem_updated"),
            models.Index(fields=["change_number"], name="feeditem_change_number"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="feeditem_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(article__isnull=True) | Q(url=""), name="feeditem_one_link"
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, edited=True, **kwargs):
        """Save; a change to what readers see sets modified_at, unless `edited` is False (see
        ChangedForReaders)."""
        now = timezone.now()
        if self.published_at is None:
            self.published_at = now
        self.render_summary()
        self.note_change(now, edited)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                *("summary_rendered", "updated_at", "modified_at"),
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return path_of("feed:item", pk=self.pk)

    def clean(self):
        if self.published_at is None:
            self.published_at = timezone.now()
        if self.article_id and self.url:
            raise ValidationError("Link the item to an article or to an external page, not both.")

    def render_summary(self):
        """Keep the summary's sanitised HTML (what pages draw) in step with its text; save()
        calls it, and so must whatever writes items without it (bulk_create(), update())."""
        self.summary_rendered = rendering.markdown_to_html(self.summary)

    def summary_html(self):
        """The summary as sanitised HTML, rendered when the item was saved."""
        if self.summary and not self.summary_rendered:
            return mark_safe(rendering.markdown_to_html(self.summary))
        return mark_safe(self.summary_rendered)

    @property
    def goes_out_at(self):
        """When readers see it, whether that is past or still ahead; None for a draft."""
        return READERS.goes_out_at(self.status, self.published_at)

    @property
    def is_public(self):
        """published() for this one item."""
        return READERS.can_see(self.status, self.published_at)

    @property
    def link(self):
        """Where the item leads: its article only while readers may see it, else the external
        page, else nowhere (""). Load the article with the item (`latest()` does)."""
        if self.article_id:
            return self.article.get_absolute_url() if self.article.is_public else ""
        return self.url


# What readers may see: a published item, once its time has come (newsroom/visibility.py).
READERS = Visibility(FeedItem.Status.values, going_out=[FeedItem.Status.PUBLISHED])


class FeedRemoval(models.Model):
    """A feed item readers saw that was since unpublished or deleted, so open pages drop it."""

    item_id = models.BigIntegerField(unique=True)
    removed_at = models.DateTimeField(default=timezone.now, db_index=True)
    change_number = models.BigIntegerField(
        default=0,
        editable=False,
        db_index=True,
        help_text="Set by the database on every write, in commit order: see feed/changes.py.",
    )

    class Meta:
        ordering = ["-removed_at"]

    def __str__(self):
        return f"Feed item {self.item_id} removed at {self.removed_at:%Y-%m-%d %H:%M}"
