"""What the admin's front page shows an editor: the work waiting for them."""

from django import template
from django.contrib import admin
from django.utils import timezone

from articles.models import Article, Status
from feed.models import FeedItem

register = template.Library()

LIMIT = 8


@register.inclusion_tag("admin/includes/dashboard.html", takes_context=True)
def newsroom_dashboard(context):
    request = context["request"]
    user = request.user
    article_admin = admin.site._registry.get(Article)
    data = {"show": False}
    if article_admin is None or not article_admin.has_view_or_change_permission(request):
        return data
    articles = Article.objects.with_authors().select_related("section")
    visible = article_admin.get_queryset(request).values("pk")
    data.update(
        show=True,
        review_queue=articles.filter(status=Status.REVIEW, pk__in=visible).order_by("updated_at")[
            :LIMIT
        ],
        scheduled=articles.filter(
            status=Status.SCHEDULED, published_at__gt=timezone.now(), pk__in=visible
        ).order_by("published_at")[:LIMIT],
        my_drafts=articles.filter(status=Status.DRAFT, created_by=user).order_by("-updated_at")[
            :LIMIT
        ],
    )
    if user.has_perm("feed.view_feeditem"):
        data["feed_items"] = FeedItem.objects.latest()[:LIMIT]
    return data
