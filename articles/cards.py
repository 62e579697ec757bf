"""Related-article cards, and the runs of Markdown between them, as written in a body.

A card sits between paragraphs:

    :::card
    title: Military intelligence: North Korea supplying shells to Russia
    excerpt: North Korea has supplied Russia with around one million rounds ...
    publisher: The Kyiv Independent
    author: Elsa Court
    link: https://example.com/news/some-story/
    :::

A card may name an article of this site with `article: <slug>` instead of a link; its
title, excerpt and author are then taken from that article unless the card gives them.

A picture from the media library sits between paragraphs the same way, by its number there
(the library's list shows it), with a caption of its own for this article if wanted:

    :::image
    id: 12
    caption: Rescuers at the site on Saturday.
    :::
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from articles.links import is_safe_link, quoted
from newsroom.characters import is_digits

CARD_OPEN = ":::card"
CARD_CLOSE = ":::"
CARD_KEYS = ("title", "excerpt", "publisher", "author", "link", "article")
IMAGE_OPEN = ":::image"
IMAGE_KEYS = ("id", "caption")


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

    name = "card"
    kind = "a card"
    keys = CARD_KEYS


@dataclass
class BodyImage:
    """A picture from the media library placed between paragraphs."""

    id: str = ""
    caption: str = ""
    line: int = field(default=0, compare=False)

    name = "image"
    kind = "an image"
    keys = IMAGE_KEYS

    @property
    def number(self):
        """The media library number it names, or None when that is not a number."""
        return int(self.id) if is_digits(self.id) else None


@dataclass
class Text:
    """A run of Markdown between cards; `line` is where it starts in the body."""

    markdown: str
    line: int = field(default=1, compare=False)


def parse_blocks(body, strict=True):
    """Split a body into Text and Card blocks.

    Strict parsing raises ValidationError naming the line of every malformed card; lenient
    parsing (for bodies stored before a rule existed) drops what it cannot trust instead.
    """
    blocks, errors = read_blocks(body)
    if errors and strict:
        raise ValidationError(errors)
    for block in blocks:
        if isinstance(block, Card) and block.link and not is_safe_link(block.link):
            block.link = ""
    return blocks


def read_blocks(body):
    """The blocks of a body as written, and a "Line N: ..." message for each malformed block."""
    blocks, text_lines, errors = [], [], []
    text_start = 1
    block = None
    for number, raw in enumerate(body.splitlines(), start=1):
        line = raw.strip()
        if block is None:
            if line.lower() in OPENERS:
                blocks.extend(_text(text_lines, text_start))
                text_lines = []
                block = OPENERS[line.lower()](line=number)
            else:
                if not text_lines:
                    text_start = number
                text_lines.append(raw)
            continue
        if line == CARD_CLOSE:
            errors.extend(block_errors(block))
            blocks.append(block)
            block = None
        elif not line:
            continue
        else:
            key, sep, value = line.partition(":")
            key = key.strip().lower()
            if not sep or key not in block.keys:
                errors.append(
                    f"Line {number}: {block.kind} line must start with one of "
                    f"{', '.join(k + ':' for k in block.keys)} (got {line[:40]!r})."
                )
            else:
                setattr(block, key, value.strip())
    if block is not None:
        errors.append(f"Line {block.line}: the {block.name} opened here has no closing ':::' line.")
        blocks.append(block)
    blocks.extend(_text(text_lines, text_start))
    return blocks, errors


def parse_blocks_leniently(body):
    return parse_blocks(body, strict=False)


def _text(lines, first_line):
    """The Text block of these lines, without the blank lines around it; none if all blank."""
    if not any(line.strip() for line in lines):
        return []
    leading_blank = next(i for i, line in enumerate(lines) if line)
    return [Text("\n".join(lines).strip("\n"), line=first_line + leading_blank)]


def block_errors(block):
    return card_errors(block) if isinstance(block, Card) else image_errors(block)


def image_errors(image):
    if not image.id:
        return [
            f"Line {image.line}: the image needs an id: line with the number of a picture "
            "in the media library."
        ]
    if not is_digits(image.id):
        return [
            f"Line {image.line}: the image's id: must be the number of a picture in the media "
            f"library (got {image.id[:20]!r})."
        ]
    return []


def card_errors(card):
    where = f"Line {card.line}: the card"
    errors = []
    if not card.title and not card.article:
        errors.append(f"{where} needs a title: or an article: line.")
    if card.link and not is_safe_link(card.link):
        errors.append(
            f"{where} has a link, {quoted(card.link)}, that is neither an http(s) or mailto "
            "address nor a path on this site."
        )
    if card.link and card.article:
        errors.append(f"{where} gives both link: and article:; keep one.")
    return errors


def card_articles(blocks):
    """Slugs of this site's articles that the cards point at."""
    return {b.article for b in blocks if isinstance(b, Card) and b.article}


def image_ids(blocks):
    """Numbers of the media library pictures that the image blocks name."""
    return {b.number for b in blocks if isinstance(b, BodyImage) and b.number is not None}


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


# Defined here, after the classes they open.
OPENERS = {CARD_OPEN: Card, IMAGE_OPEN: BodyImage}
