"""The feed's boxes on other apps' pages: {% load feed_tags %}, then {% news_feed_box %}, or
{% feed_boxes article %} for the News Feed box followed by the article's section block; and
{% feed_item item "compact" %}, one item as feed.drawing draws it."""

from urllib.parse import urlencode

from django import template
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles.models import Section
from feed import changes, drawing
from feed.models import FeedItem
from newsroom import freshness, keyset, prepared
from newsroom.paths import path_of

register = template.Library()

BOX_SIZE = 5
SECTION_BLOCK_SIZE = 4


@register.simple_tag
def feed_item(item, variant="page", hide_section=False):
    return drawing.item_html(item, variant, hide_section)


def newest(items):
    return sorted(items, key=lambda item: (item.published_at, item.pk), reverse=True)


def section_items_query(section_id=None, size=SECTION_BLOCK_SIZE, after=BOX_SIZE, now=None):
    """The latest items of a section published by `now` (the present by default) but those
    the News Feed box beside it shows (the `after` latest of all). Without a section, those
    of the first section (by position) that has any."""
    published = FeedItem.objects.published(now=now)
    in_the_box = published.latest().values("pk")[:after]
    if section_id is None:
        # Asked of each section in turn on its own index, never of every item at once.
        has_items = published.filter(section=OuterRef("pk")).exclude(pk__in=in_the_box)
        section_id = Subquery(
            Section.objects.filter(Exists(has_items)).order_by("position", "name").values("pk")[:1]
        )
    items = published.latest().filter(section_id=section_id).exclude(pk__in=in_the_box)
    return items[:size]


def box_items(now, size, block, section, block_size):
    """The items of the box (the `size` latest published by `now`) and, if `block`, of the
    section block, with where the feed stands (changes.position_columns()) on each row."""
    wanted = [FeedItem.objects.published(now=now).latest()[:size]]
    if block:
        wanted.append(section_items_query(section, block_size, after=size, now=now))
    columns = changes.position_columns()
    return (
        FeedItem.objects.filter(pk__in=keyset.ids_of_any(wanted))
        .drawn()
        .annotate(**{name: RawSQL(sql, params) for name, (sql, params) in columns.items()})
        .order_by()
    )


# Built and compiled once a process for each size (newsroom/prepared.py).
BOX_ITEMS = prepared.Prepared(box_items, fixed=("size", "block", "block_size"))


def boxes(size=BOX_SIZE, article=None, block_size=SECTION_BLOCK_SIZE):
    """(where the feed stands, the box's items, the section block's items), in one query;
    without `article`, no section block."""
    moment = timezone.now()
    columns = changes.position_columns()
    items = BOX_ITEMS.run(
        now=moment,
        size=size,
        block=article is not None,
        section=getattr(article, "section_id", None),
        block_size=block_size,
    )
    if items:
        position = changes.position_from(moment, [getattr(items[0], name) for name in columns])
    else:
        # Nothing published carries the position: hand the page one that has seen nothing,
        # so that its first poll is sent whatever has gone out since (a few, on a new site).
        position = changes.Position(moment, 0)
    in_box = newest(items)[:size]
    shown = {item.pk for item in in_box}
    block_items = [item for item in newest(items) if item.pk not in shown][:block_size]
    return position, in_box, block_items


def box_context(position, items, size):
    query = {"limit": size, "variant": "compact", "after": str(position)}
    return {
        "items": items,
        "size": size,
        "updates_url": f"{path_of('feed:updates')}?{urlencode(query)}",
    }


@register.inclusion_tag("feed/includes/feed_box.html", takes_context=True)
def news_feed_box(context, size=BOX_SIZE):
    """The latest published items, in a box that follows the feed live."""
    freshness.uses_feed(getattr(context, "request", None))
    position, items, _ = boxes(size)
    return box_context(position, items, size)


@register.inclusion_tag("feed/includes/feed_boxes.html", takes_context=True)
def feed_boxes(context, article, size=BOX_SIZE, block_size=SECTION_BLOCK_SIZE):
    """The News Feed box, then the latest items of the article's section that the box does
    not show, headed by the section's name."""
    freshness.uses_feed(getattr(context, "request", None))
    position, items, block_items = boxes(size, article, block_size)
    return {
        **box_context(position, items, size),
        "block": {
            "section": block_items[0].section if block_items else None,
            "items": block_items,
        },
    }
