"""The podcast: an RSS 2.0 feed with the iTunes tags, one episode per narrated article."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.feedgenerator import Enclosure

from articles.models import Section
from narration.models import Narration
from newsroom.seo import RssFeed, SiteFeed, absolute

FEED_SIZE = 50
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"


def clock(seconds):
    """Seconds as H:MM:SS, as itunes:duration and ISO-minded players read it."""
    seconds = round(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def artwork():
    return absolute(static(settings.NEWSROOM["PODCAST_ARTWORK"]))


class PodcastRss(RssFeed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:itunes": ITUNES}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        site = settings.NEWSROOM["SITE_NAME"]
        handler.startElement("image", {})
        handler.addQuickElement("url", artwork())
        handler.addQuickElement("title", self.feed["title"])
        handler.addQuickElement("link", self.feed["link"])
        handler.endElement("image")
        handler.addQuickElement("itunes:author", site)
        handler.addQuickElement("itunes:image", attrs={"href": artwork()})
        handler.addQuickElement("itunes:category", attrs={"text": "News"})
        handler.addQuickElement("itunes:explicit", "false")
        handler.addQuickElement("itunes:type", "episodic")
        handler.addQuickElement("itunes:summary", self.feed["description"])

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("itunes:duration", item["itunes_duration"])
        handler.addQuickElement("itunes:episodeType", "full")


class PodcastFeed(SiteFeed):
    feed_type = PodcastRss
    item_guid_is_permalink = False

    def get_object(self, request, slug=None):
        return None

    def title(self, obj=None):
        site = settings.NEWSROOM["SITE_NAME"]
        return f"{obj} | {site}, read aloud" if obj else f"{site}, read aloud"

    def link(self, obj=None):
        return absolute(obj.get_absolute_url() if obj else "/")

    def description(self, obj=None):
        return f"Articles of {settings.NEWSROOM['SITE_NAME']}, read aloud as they are published."

    def items(self, obj=None):
        narrations = Narration.objects.for_podcast()
        if obj is not None:
            narrations = narrations.filter(article__section=obj)
        return narrations[:FEED_SIZE]

    def item_title(self, item):
        return item.article.headline

    def item_description(self, item):
        return item.article.excerpt

    def item_link(self, item):
        return absolute(item.article.get_absolute_url())

    def item_guid(self, item):
        """The same for the article's every narration, whatever its slug becomes."""
        return f"{absolute(reverse('narration:rss'))}#article-{item.article_id}"

    def item_pubdate(self, item):
        return item.article.published_at

    def item_updateddate(self, item):
        return item.generated_at

    def item_enclosures(self, item):
        return [Enclosure(absolute(item.get_absolute_url()), str(item.size), item.content_type)]

    def item_authors(self, item):
        return [
            {"name": author.name, "url": absolute(author.get_absolute_url())}
            for author in item.article.ordered_authors
        ]

    def item_extra_kwargs(self, item):
        return {**super().item_extra_kwargs(item), "itunes_duration": clock(item.duration)}


class SectionPodcastFeed(PodcastFeed):
    def get_object(self, request, slug=None):
        return get_object_or_404(Section, slug=slug)
