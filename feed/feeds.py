from django.conf import settings
from django.urls import reverse

from feed.models import FeedItem
from newsroom.seo import SiteFeed, absolute

RSS_ITEMS = 50


class LatestUpdatesFeed(SiteFeed):
    """The news feed as RSS 2.0, newest first."""

    description_template = None

    def title(self):
        return f"News Feed | {settings.NEWSROOM['SITE_NAME']}"

    def link(self):
        return absolute(reverse("feed:list"))

    def description(self):
        return f"Short updates from {settings.NEWSROOM['SITE_NAME']}, newest first."

    def items(self):
        return FeedItem.objects.published().latest()[:RSS_ITEMS]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return item.summary_html()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.date_modified

    def item_categories(self, item):
        return [item.section.name] if item.section else []
