"""What the admin's front page shows an editor: the work waiting for them."""

from django import template
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Cast, Coalesce
from django.templatetags.static import static
from django.utils import timezone
from django.utils.timesince import timesince

from articles import preview
from articles.models import Article, Notification, ReviewNote, Status
from feed.models import FeedItem
from newsroom import dates
from newsroom.models import AuditEntry

register = template.Library()

LIMIT = 8
NOTIFICATIONS = 10


@register.simple_tag
def newsroom_logo():
    """The address of the newsroom's logo (settings.NEWSROOM["LOGO"], a static file)."""
    return static(settings.NEWSROOM["LOGO"])


@register.filter
def desk_time(moment):
    """ "January 22, 2024, 09:00 (Kyiv)": the one way the desk writes a moment."""
    return dates.desk_time(moment)


@register.filter
def waited(since):
    """How long ago `since` was, in words: "2 hours, 5 minutes", or "less than a minute"."""
    if since is None:
        return ""
    if (timezone.now() - since).total_seconds() < 60:
        return "less than a minute"
    return timesince(since)


def submitted_at():
    """When each article was last submitted for review (from the audit log)."""
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Article),
        object_id=Cast(OuterRef("pk"), CharField()),
        action=AuditEntry.Action.SUBMITTED,
    ).order_by("-when")
    return Coalesce(Subquery(entries.values("when")[:1]), "updated_at")


def with_notes(articles):
    notes = ReviewNote.objects.select_related("written_by").order_by("-created_at", "-id")
    return articles.prefetch_related(Prefetch("review_notes", queryset=notes, to_attr="notes"))


@register.inclusion_tag("admin/includes/dashboard.html", takes_context=True)
def newsroom_dashboard(context):
    request = context["request"]
    user = request.user
    data = {"show": False}
    if not preview.may_open_articles(user):
        return data
    articles = Article.objects.visible_to(user).with_authors().select_related("section")
    data.update(
        show=True,
        review_queue=with_notes(articles.filter(status=Status.REVIEW))
        .annotate(waiting_since=submitted_at())
        .order_by("waiting_since")[:LIMIT],
        scheduled=articles.upcoming()
        .filter(status=Status.SCHEDULED)
        .order_by("published_at")[:LIMIT],
        my_drafts=with_notes(articles.filter(status=Status.DRAFT, created_by=user)).order_by(
            "-updated_at"
        )[:LIMIT],
        notifications=Notification.objects.filter(recipient=user).select_related("article")[
            :NOTIFICATIONS
        ],
    )
    if user.has_perm("feed.view_feeditem"):
        data["feed_items"] = FeedItem.objects.latest()[:LIMIT]
    return data
