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
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from articles.links import is_safe_link, quoted

CARD_OPEN = ":::card"
CARD_CLOSE = ":::"
CARD_KEYS = ("title", "excerpt", "publisher", "author", "link", "article")


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
    """The blocks of a body as written, and a "Line N: ..." message for each malformed card."""
    blocks, text_lines, errors = [], [], []
    text_start = 1
    card = None
    for number, raw in enumerate(body.splitlines(), start=1):
        line = raw.strip()
        if card is None:
            if line.lower() == CARD_OPEN:
                blocks.extend(_text(text_lines, text_start))
                text_lines = []
                card = Card(line=number)
            else:
                if not text_lines:
                    text_start = number
                text_lines.append(raw)
            continue
        if line == CARD_CLOSE:
            errors.extend(card_errors(card))
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
