"""The feed's boxes on other apps' pages: {% load feed_tags %}, then {% news_feed_box %} or
{% section_feed_block article %}."""

from urllib.parse import urlencode

from django import template
from django.db.models import Subquery
from django.urls import reverse

from articles.models import Section
from feed import changes
from feed.models import FeedItem

register = template.Library()

BOX_SIZE = 5
SECTION_BLOCK_SIZE = 4


@register.inclusion_tag("feed/includes/feed_box.html")
def news_feed_box(size=BOX_SIZE):
    """The latest published items, in a box that follows the feed live."""
    query = {"limit": size, "variant": "compact", "after": str(changes.current())}
    return {
        "items": FeedItem.objects.published().latest()[:size],  # read after the position
        "size": size,
        "updates_url": f"{reverse('feed:updates')}?{urlencode(query)}",
    }


def section_items(section_id=None, size=SECTION_BLOCK_SIZE, after=BOX_SIZE):
    """The latest published items of a section but those the News Feed box beside it shows
    (the `after` latest of all), in one query. Without a section, those of the first
    section (by position) that has any."""
    published = FeedItem.objects.published()
    in_the_box = published.latest().values("pk")[:after]
    if section_id is None:
        section_id = Subquery(
            Section.objects.filter(feed_items__in=published.exclude(pk__in=in_the_box))
            .order_by("position", "name")
            .values("pk")[:1]
        )
    items = published.latest().filter(section_id=section_id).exclude(pk__in=in_the_box)
    return list(items[:size])


@register.inclusion_tag("feed/includes/section_feed_block.html")
def section_feed_block(article, size=SECTION_BLOCK_SIZE):
    """The latest items of the article's section that the News Feed box does not show,
    headed by the section's name."""
    items = section_items(article.section_id, size)
    return {"section": items[0].section if items else None, "items": items}
