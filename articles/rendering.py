"""Turn an article body, as editors write it, into safe HTML.

A body is Markdown paragraphs with related-article cards placed between them:

    :::card
    title: Military intelligence: North Korea supplying shells to Russia
    excerpt: North Korea has supplied Russia with around one million rounds ...
    publisher: The Kyiv Independent
    author: Elsa Court
    link: https://example.com/news/some-story/
    :::

A card may name an article of this site with `article: <slug>` instead of a link; its
title, excerpt and author are then taken from that article unless the card gives them.
Whatever the writer typed, the HTML that comes out carries no script, no event handler
and no `javascript:` URL: Markdown output goes through nh3, card fields are escaped.
"""

import html
import re
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

CARD_OPEN = ":::card"
CARD_CLOSE = ":::"
CARD_KEYS = ("title", "excerpt", "publisher", "author", "link", "article")

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "em", "figcaption", "figure",
    "h2", "h3", "h4", "hr", "i", "img", "li", "ol", "p", "pre", "q", "s", "strong", "sub",
    "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<img\b", re.IGNORECASE)


@dataclass
class Card:
    """A related-article card placed between paragraphs."""

    title: str = ""
    excerpt: str = ""
    publisher: str = ""
    author: str = ""
    link: str = ""
    article: str = ""
    line: int = field(default=0, compare=False)


@dataclass
class Text:
    """A run of Markdown between cards."""

    markdown: str


def is_safe_link(link):
    """True for http(s) URLs and paths on this site."""
    if link.startswith("/") and not link.startswith("//"):
        return True
    parts = urlsplit(link)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def parse_blocks(body, strict=True):
    """Split a body into Text and Card blocks.

    Strict parsing raises ValidationError naming the line of every malformed card; lenient
    parsing (for bodies stored before a rule existed) drops what it cannot trust instead.
    """
    blocks, text_lines, errors = [], [], []
    card = None
    for number, raw in enumerate(body.splitlines(), start=1):
        line = raw.strip()
        if card is None:
            if line.lower() == CARD_OPEN:
                if any(t.strip() for t in text_lines):
                    blocks.append(Text("\n".join(text_lines).strip("\n")))
                text_lines = []
                card = Card(line=number)
            else:
                text_lines.append(raw)
            continue
        if line == CARD_CLOSE:
            errors.extend(_card_errors(card))
            blocks.append(card)
            card = None
        elif not line:
            continue
        else:
            key, sep, value = line.partition(":")
            key = key.strip().lower()
            if not sep or key not in CARD_KEYS:
                errors.append(
                    f"Line {number}: a card line must start with one of "
                    f"{', '.join(k + ':' for k in CARD_KEYS)} (got {line[:40]!r})."
                )
            else:
                setattr(card, key, value.strip())
    if card is not None:
        errors.append(f"Line {card.line}: the card opened here has no closing ':::' line.")
        blocks.append(card)
    if any(t.strip() for t in text_lines):
        blocks.append(Text("\n".join(text_lines).strip("\n")))
    if errors and strict:
        raise ValidationError(errors)
    for block in blocks:
        if isinstance(block, Card) and block.link and not is_safe_link(block.link):
            block.link = ""
    return blocks


def _card_errors(card):
    where = f"Line {card.line}: the card"
    errors = []
    if not card.title and not card.article:
        errors.append(f"{where} needs a title: or an article: line.")
    if card.link and not is_safe_link(card.link):
        errors.append(f"{where} has a link that is neither an http(s) URL nor a path on this site.")
    if card.link and card.article:
        errors.append(f"{where} gives both link: and article:; keep one.")
    return errors


def validate_body(body):
    parse_blocks(body)


_converters = threading.local()


def _markdown():
    """A Markdown converter for this thread, reset for the next text.

    Building one loads every extension, which costs more than converting a paragraph.
    """
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
        _converters.markdown = converter
    return converter.reset()


def markdown_to_html(text):
    """Markdown to HTML that nh3 has cleaned, so templates may print it as it is."""
    return mark_safe(
        nh3.clean(
            _markdown().convert(text),
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_URL_SCHEMES,
            link_rel="noopener noreferrer",
        )
    )


def card_articles(blocks):
    """Slugs of this site's articles that the cards point at."""
    return {b.article for b in blocks if isinstance(b, Card) and b.article}


def resolve_card(card, articles_by_slug):
    """Fill a card that points at one of our articles from that article; None if it is gone."""
    if not card.article:
        return card
    article = articles_by_slug.get(card.article)
    if article is None:
        return None if not card.title else Card(**{**vars(card), "article": ""})
    return Card(
        title=card.title or article.headline,
        excerpt=card.excerpt or article.excerpt,
        publisher=card.publisher,
        author=card.author or article.byline_names,
        link=article.get_absolute_url(),
        line=card.line,
    )


def render_body(body, articles_by_slug=None):
    """Render a body to safe HTML; cards pointing at unknown articles are left out."""
    return render_blocks(parse_blocks_leniently(body), articles_by_slug)


def render_blocks(blocks, articles_by_slug=None):
    parts = []
    for block in blocks:
        if isinstance(block, Text):
            parts.append(markdown_to_html(block.markdown))
            continue
        card = resolve_card(block, articles_by_slug or {})
        if card is not None:
            parts.append(render_to_string("articles/includes/card.html", {"card": card}))
    return mark_safe("\n".join(parts))


def parse_blocks_leniently(body):
    return parse_blocks(body, strict=False)


# Text made only of these characters, with no line that starts like a list, a definition
# or indented code, renders to itself, so it need not go through Markdown to be read.
_PLAIN_CHARACTERS = re.compile(
    r"(?:[^\W_]|[ \n,.;:?!'\"()\u2018\u2019\u201c\u201d\u2013\u2014/%$-])*"
)
_NOT_PLAIN_LINE = re.compile(r"^(?:[ :-]|\d+[.)])| $", re.MULTILINE)


def is_plain(text):
    return bool(_PLAIN_CHARACTERS.fullmatch(text)) and not _NOT_PLAIN_LINE.search(text)


def markdown_to_text(text):
    """What a reader reads of some Markdown: the rendered text without tags."""
    if is_plain(text):
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())
    return html.unescape(strip_tags(markdown_to_html(text)))


def plain_text(body):
    """The words a reader reads: paragraphs and card text, no markup."""
    words = []
    for block in parse_blocks_leniently(body):
        if isinstance(block, Text):
            words.append(markdown_to_text(block.markdown))
        else:
            words.extend([block.title, block.excerpt, block.publisher, block.author])
    return "\n".join(w for w in words if w)


def first_paragraph(body):
    for block in parse_blocks_leniently(body):
        if isinstance(block, Text):
            for paragraph in re.split(r"\n\s*\n", block.markdown):
                text = markdown_to_text(paragraph).strip()
                if text:
                    return text
    return ""


def count_images(body):
    return len(_IMAGE.findall(body))
