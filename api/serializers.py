"""What the Content API says of each thing: public data only, every address absolute."""

import re

from django.core.files.storage import default_storage
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles import rendering
from articles.cards import BodyImage, Card, Text, resolve_card
from articles.models import Author, body_references
from newsroom.seo import absolute
from search.models import Entry

# Site paths in rendered HTML (href="/news/…", src="/media/…") become absolute addresses.
SITE_PATH = re.compile(r'(\s(?:href|src)=")(/(?!/)[^"]*)"')
SRCSET = re.compile(r'(\ssrcset=")([^"]*)"')


def absolute_html(html):
    html = SITE_PATH.sub(lambda m: f'{m.group(1)}{absolute(m.group(2))}"', str(html))
    return SRCSET.sub(
        lambda m: (
            m.group(1)
            + ", ".join(
                absolute(part.strip()) if part.strip().startswith("/") else part.strip()
                for part in m.group(2).split(",")
            )
            + '"'
        ),
        html,
    )


class SubjectSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.SlugField()
    url = serializers.SerializerMethodField()

    def get_url(self, subject) -> str:
        return absolute(subject.get_absolute_url())


class AuthorSerializer(SubjectSerializer):
    kind = serializers.ChoiceField(choices=Author.Kind.choices)
    role = serializers.CharField()
    bio = serializers.CharField()
    article_count = serializers.IntegerField(source="published_count")


class SectionSerializer(SubjectSerializer):
    description = serializers.CharField()
    article_count = serializers.IntegerField(source="published_count")


class TagSerializer(SubjectSerializer):
    article_count = serializers.IntegerField(source="published_count")


class BylineSerializer(SubjectSerializer):
    kind = serializers.ChoiceField(choices=Author.Kind.choices)


class RenditionSerializer(serializers.Serializer):
    url = serializers.URLField()
    webp_url = serializers.URLField()
    width = serializers.IntegerField()


class ImageSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField(allow_null=True)
    height = serializers.IntegerField(allow_null=True)
    alt = serializers.CharField()
    caption = serializers.CharField()
    credit = serializers.CharField()
    renditions = RenditionSerializer(many=True)


def hero_image(article):
    if not article.hero_image:
        return None
    record = getattr(article, "hero_renditions", None)
    items = record.items if record else []
    return {
        "url": absolute(article.hero_image.url),
        "width": record.width if record else None,
        "height": record.height if record else None,
        "alt": article.hero_alt,
        "caption": article.hero_caption,
        "credit": article.hero_credit,
        "renditions": [
            {
                "url": absolute(default_storage.url(item["fallback"])),
                "webp_url": absolute(default_storage.url(item["webp"])),
                "width": item["width"],
            }
            for item in items
        ],
    }


class ArticleSerializer(serializers.Serializer):
    """An article in a list: everything but its body."""

    id = serializers.IntegerField()
    slug = serializers.SlugField()
    url = serializers.SerializerMethodField()
    headline = serializers.CharField()
    dek = serializers.CharField()
    excerpt = serializers.CharField()
    section = serializers.SerializerMethodField()
    authors = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    image = serializers.SerializerMethodField()
    reading_time_minutes = serializers.IntegerField(source="reading_time")
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField(source="date_modified")

    def get_url(self, article) -> str:
        return absolute(article.get_absolute_url())

    @extend_schema_field(SubjectSerializer(allow_null=True))
    def get_section(self, article):
        return SubjectSerializer(article.section).data if article.section else None

    @extend_schema_field(BylineSerializer(many=True))
    def get_authors(self, article):
        return BylineSerializer(article.ordered_authors, many=True).data

    @extend_schema_field(SubjectSerializer(many=True))
    def get_tags(self, article):
        return SubjectSerializer(article.tags.all(), many=True).data

    @extend_schema_field(ImageSerializer(allow_null=True))
    def get_image(self, article):
        return hero_image(article)


class BlockSerializer(serializers.Serializer):
    """One piece of the body, in order: text, a card to another story, or a picture."""

    type = serializers.ChoiceField(choices=["text", "card", "image"])
    html = serializers.CharField(required=False, help_text="Sanitised HTML (text blocks).")
    text = serializers.CharField(required=False, help_text="Plain text (text blocks).")
    title = serializers.CharField(required=False)
    excerpt = serializers.CharField(required=False)
    publisher = serializers.CharField(required=False)
    author = serializers.CharField(required=False)
    url = serializers.URLField(
        required=False, allow_null=True, help_text="Where a card leads; null for none."
    )
    alt = serializers.CharField(required=False)
    caption = serializers.CharField(required=False)
    credit = serializers.CharField(required=False)
    width = serializers.IntegerField(required=False)
    height = serializers.IntegerField(required=False)


def body_blocks(article):
    """The body as structured blocks: text (HTML and plain), cards and pictures."""
    blocks = rendering.parse_blocks_leniently(article.body)
    references = body_references(blocks)
    found = []
    for block in blocks:
        if isinstance(block, Text):
            found.append(
                {
                    "type": "text",
                    "html": absolute_html(rendering.markdown_to_html(block.markdown)),
                    "text": rendering.markdown_to_text(block.markdown),
                }
            )
        elif isinstance(block, Card):
            card = resolve_card(block, references["articles_by_slug"])
            if card is not None:
                found.append(
                    {
                        "type": "card",
                        "title": card.title,
                        "excerpt": card.excerpt,
                        "publisher": card.publisher,
                        "author": card.author,
                        "url": absolute(card.link) if card.link else None,
                    }
                )
        elif isinstance(block, BodyImage):
            picture = references["images_by_id"].get(block.number)
            if picture is not None:
                found.append(
                    {
                        "type": "image",
                        "url": absolute(picture.image.url),
                        "alt": picture.alt,
                        "caption": block.caption or picture.caption,
                        "credit": picture.credit,
                        "width": picture.width,
                        "height": picture.height,
                    }
                )
    return found


class ArticleDetailSerializer(ArticleSerializer):
    """An article with its body: sanitised HTML, plain text, and structured blocks."""

    body_html = serializers.SerializerMethodField()
    body_text = serializers.SerializerMethodField()
    blocks = serializers.SerializerMethodField()

    def get_body_html(self, article) -> str:
        return absolute_html(article.body_html())

    def get_body_text(self, article) -> str:
        return rendering.plain_text(article.body)

    @extend_schema_field(BlockSerializer(many=True))
    def get_blocks(self, article):
        return body_blocks(article)


class FeedItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    headline = serializers.CharField()
    summary_html = serializers.SerializerMethodField()
    summary_text = serializers.SerializerMethodField()
    section = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField()
    pinned = serializers.BooleanField()
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField(source="date_modified")

    def get_url(self, item) -> str:
        return absolute(item.get_absolute_url())

    def get_summary_html(self, item) -> str:
        return absolute_html(item.summary_html())

    def get_summary_text(self, item) -> str:
        return rendering.markdown_to_text(item.summary)

    @extend_schema_field(SubjectSerializer(allow_null=True))
    def get_section(self, item):
        return SubjectSerializer(item.section).data if item.section else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_link(self, item):
        return absolute(item.link) if item.link else None


class SearchResultSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Entry.Kind.choices)
    id = serializers.SerializerMethodField(help_text="The article's or the feed item's id.")
    url = serializers.SerializerMethodField()
    headline = serializers.CharField()
    marked_headline = serializers.CharField(help_text="HTML: the words found in <mark>.")
    passage = serializers.CharField(help_text="HTML: a passage with the words found in <mark>.")
    section = serializers.SerializerMethodField()
    authors = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField()

    def get_id(self, entry) -> int:
        return entry.article_id or entry.feed_item_id

    def get_url(self, entry) -> str:
        return absolute(entry.get_absolute_url())

    @extend_schema_field(SubjectSerializer(allow_null=True))
    def get_section(self, entry):
        return SubjectSerializer(entry.section).data if entry.section else None

    @extend_schema_field(BylineSerializer(many=True))
    def get_authors(self, entry):
        authors = entry.article.ordered_authors if entry.article else []
        return BylineSerializer(authors, many=True).data
