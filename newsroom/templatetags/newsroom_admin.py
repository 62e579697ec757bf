"""What the admin's front page shows an editor: the work waiting for them."""

from django import template

from articles import preview
from articles.models import Article, Status
from feed.models import FeedItem

register = template.Library()

LIMIT = 8


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
        review_queue=articles.filter(status=Status.REVIEW).order_by("updated_at")[:LIMIT],
        scheduled=articles.upcoming()
        .filter(status=Status.SCHEDULED)
        .order_by("published_at")[:LIMIT],
        my_drafts=articles.filter(status=Status.DRAFT, created_by=user).order_by("-updated_at")[
            :LIMIT
        ],
    )
    if user.has_perm("feed.view_feeditem"):
        data["feed_items"] = FeedItem.objects.latest()[:LIMIT]
    return data
