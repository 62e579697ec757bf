"""Write an article back as a captured page, in the shape parse.py reads.

Importing what export_page() writes changes nothing: the feed box lists only items that
re-import to themselves (newest first, each less than a day before the one above it, items
without a section before the first section header).
"""

from datetime import timedelta

from django.utils import dateformat, timezone, translation
from django.utils.text import get_text_list

from articles import rendering
from feed.models import FeedItem
from newsroom import times
from newsroom.capture.parse import AUDIO_LINE, AUTHORS_PREFIX, MOST_POPULAR, NEWS_FEED

FEED_LIMIT = 10


# Pages are English whatever LANGUAGE_CODE says: Django translates month names, AM and PM,
# and the ", " between names, so each is asked for in English.


def clock(moment):
    """'7:14 AM' in the site time zone."""
    with translation.override("en"):
        return dateformat.format(timezone.localtime(moment), times.TIME)


def byline(article):
    """'by A, B and C January 21, 2024 7:14 AM 2 min read'."""
    local = timezone.localtime(article.published_at)
    with translation.override("en"):
        names = get_text_list([author.name for author in article.ordered_authors], "and")
        when = dateformat.format(local, times.DATE_AND_TIME)
    return f"by {names} {when} {article.reading_time} min read"


def body_lines(body):
    """Paragraphs separated by blank lines; a card as its three lines."""
    parts = []
    for block in rendering.parse_blocks_leniently(body):
        if isinstance(block, rendering.Text):
            for paragraph in block.markdown.split("\n\n"):
                lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
                if lines:
                    parts.append("\n".join(lines))
        elif isinstance(block, rendering.BodyImage):
            continue  # a captured page holds no pictures from our library
        else:
            title = block.title or block.article
            parts.append(f"{title}\n{block.excerpt}\n{block.publisher}{block.author}")
    return "\n\n".join(parts)


def feed_box(article, limit=FEED_LIMIT):
    """Feed items as the page around the article showed them, newest first."""
    candidates = (
        FeedItem.objects.filter(
            published_at__lte=article.published_at,
            published_at__gt=article.published_at - timedelta(days=2),
        )
        .select_related("section")
        .order_by("-published_at", "-id")
    )
    chosen, previous, section = [], article.published_at, None
    for item in candidates.iterator():
        if len(chosen) == limit or previous - item.published_at >= timedelta(days=1):
            break
        if item.section_id is None and section is not None:
            continue
        if item.published_at.second or item.published_at.microsecond:
            continue
        chosen.append(item)
        previous, section = item.published_at, item.section or section
    return chosen


class ExportError(Exception):
    """An article that cannot be written as a page import_text would read back."""


def export_page(article):
    """The article as a captured page."""
    if article.published_at is None:
        raise ExportError(f"{article.slug}: has no publication time for the byline")
    if not article.ordered_authors:
        raise ExportError(f"{article.slug}: has no authors for the byline")
    published = timezone.localtime(article.published_at)
    lines = [f" date {published:%Y-%m-%d} Skip to content", article.headline, "", byline(article)]
    if article.audio_ai_generated:
        lines.append(AUDIO_LINE)
    lines += ["", body_lines(article.body)]
    names = ", ".join(author.name for author in article.ordered_authors)
    lines += [f"{AUTHORS_PREFIX} {names}", MOST_POPULAR, ""]
    lines += [NEWS_FEED, ""]
    section = None
    for item in feed_box(article):
        if item.section is not None and item.section != section:
            lines += [item.section.name, ""]
            section = item.section
        lines += [clock(item.published_at), "", item.headline, ""]
        if item.summary:
            lines.append(" ".join(item.summary.split()))
    return "\n".join(lines).rstrip("\n") + "\n"
