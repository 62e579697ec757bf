"""Turn an article body, as editors write it, into safe HTML.

A body is Markdown with related-article cards between its paragraphs (see cards.py). The
Markdown is CommonMark, read by markdown-it-py, whose time grows with the length of the text
(Python-Markdown's grew with its square), with what editors had before: tables, fenced
code, footnotes, definition lists, abbreviations and {attributes} on images and links.

Whatever the writer typed, the HTML that comes out carries no script, no event handler and
no link that leaves the site in disguise: Markdown output goes through nh3, every href must
pass links.is_safe_link, card fields are escaped. validate_body refuses, with the line,
what would not reach the reader as written, and a body so long or so full of Markdown that
reading it would tie up a worker. Each piece of Markdown is read once (rendered()) for all
that a save and the next page view want of it.
"""

import functools
import html
import itertools
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from articles.abbreviations import abbreviation_problems, abbreviations_plugin
from articles.cards import BodyImage, Text, parse_blocks_leniently, read_blocks, resolve_card
from articles.cards import card_articles as card_articles  # for the article model
from articles.cards import image_ids as image_ids  # for the article model
from articles.cards import parse_blocks as parse_blocks  # for the importer's tests
from articles.links import is_safe_link, quoted

BODY_MAX_LENGTH = 200_000
# What costs time to read: markdown-it stops at each of these characters to try its rules
# (line breaks, emphasis, links, pictures, footnotes, HTML, entities, code), and "|" parts the
# cells of a table. Text between them costs next to nothing; a sign, up to about 0.1 ms when
# unclosed "[" or "![" come before it (bench/body_render.py measures the worst), so the limit
# keeps reading any body to about half a second. A long article has a thousand or two.
MARKDOWN_SIGN = re.compile(r"\r\n?|[\n!#$%&*+\-:<=>@\[\\\]^_`{|}~]")
MARKDOWN_SIGNS_MAX = 5_000

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

# The browser reads everything after one of these tags as its text, up to its end tag or
# the end of the body, and the sanitiser then drops that text or shows it as raw markup.
SWALLOWING_TAGS = (
    "iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "template",
    "textarea", "title", "xmp",
)  # fmt: skip
# After one of these the browser reads SVG or MathML, where text may sit in elements the
# sanitiser drops whole, and where "<p>" or "</p>" leave it: text goes missing that the check
# of what follows (_shows_the_end) cannot see. They are refused as the tags above are.
FOREIGN_TAGS = ("svg", "math")
# A tag name ends at whitespace, "/" or ">", in any case: `<STYLE >` and `<style\n>` count.
_TAG_END = r"(?=[\t\n\f\r />]|\Z)"
_REFUSED_TAG = re.compile(
    rf"<(/?)({'|'.join(SWALLOWING_TAGS + FOREIGN_TAGS)}){_TAG_END}", re.I | re.A
)
# A comment opens at "<!--" and ends at the next "-->" or "--!>"; "<!-->" and "<!--->" are
# whole (empty) comments.
_COMMENT_MARK = re.compile(r"<!--(?:-?>)?|--!?>")
_IMG_TAG = re.compile(rf"<img{_TAG_END}", re.I | re.A)


def _footnote_number(self, tokens, idx, options, env):
    return str(tokens[idx].meta["id"] + 1)


def _markdown_parser():
    parser = (
        MarkdownIt("commonmark", {"html": True})
        .enable("table")
        .use(footnote_plugin)
        .use(deflist_plugin)
        .use(attrs_plugin)
        .use(abbreviations_plugin)
    )
    # Links stay as written and are judged by the one rule when sanitising: markdown-it's own
    # check would print a refused `[text](javascript:...)` as typed.
    parser.normalizeLink = lambda url: url
    parser.validateLink = lambda url: True
    parser.add_render_rule("footnote_caption", _footnote_number)
    return parser


MARKDOWN = _markdown_parser()


def _keep_safe_links(element, attribute, value):
    return None if attribute == "href" and not is_safe_link(value) else value


SANITISER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="noopener noreferrer",
    attribute_filter=_keep_safe_links,
)


@dataclass(frozen=True)
class Rendered:
    """What reading some Markdown once tells: its HTML, its problems, its pictures."""

    html: str  # cleaned by nh3
    problems: tuple  # (line from 0, message), as markdown_errors reports them
    images: int  # Markdown images and <img> tags


@functools.lru_cache(maxsize=32)
def rendered(text):
    """Read `text` once and keep the result: saving an article validates its body, counts its
    words and pictures for the reading time, indexes it for search and then shows it, and
    each of those would otherwise parse it again."""
    env = {}
    tokens = MARKDOWN.parse(text, env)
    raw = MARKDOWN.renderer.render(tokens, MARKDOWN.options, env)
    return Rendered(
        html=SANITISER.clean(raw).rstrip("\n"),
        problems=tuple(_problems(tokens, raw, env)),
        images=_images(tokens),
    )


def markdown_to_html(text):
    """Markdown to HTML that nh3 has cleaned, so templates may print it as it is."""
    if is_plain(text):
        return mark_safe(_plain_html(text))
    return mark_safe(rendered(text).html)


def validate_body(body):
    """Refuse a body that would not reach the reader as written, saying what and where."""
    refused = size_errors(body)
    if refused:
        raise ValidationError(refused)
    blocks, errors = read_blocks(body)
    for block in blocks:
        if isinstance(block, Text):
            errors.extend(markdown_errors(block.markdown, block.line))
    if errors:
        raise ValidationError(errors)


def size_errors(body):
    """Why a body is too big to be read at all (none when it is not): too long, or so full of
    Markdown that reading it would take a worker seconds."""
    if len(body) > BODY_MAX_LENGTH:
        return [
            f"The body is {len(body):,} characters long; the limit is {BODY_MAX_LENGTH:,}. "
            "Split it into several articles."
        ]
    signs = len(MARKDOWN_SIGN.findall(body))
    if signs <= MARKDOWN_SIGNS_MAX:
        return []
    past = next(itertools.islice(MARKDOWN_SIGN.finditer(body), MARKDOWN_SIGNS_MAX, None))
    line = len((body[: past.start()] + "x").splitlines())  # counted as cards.py counts
    return [
        f"Line {line}: here the body passes {MARKDOWN_SIGNS_MAX:,} line breaks and Markdown "
        f"signs ([ ] * _ < > & # - : | and the like); it has {signs:,}, more than any article "
        "needs, and each takes time to show. Split it into several articles."
    ]


def markdown_errors(text, first_line):
    """A "Line N: ..." message for each tag, comment or link that would betray the text."""
    problems = rendered(text).problems
    return [f"Line {first_line + line}: {message}" for line, message in problems]


def _problems(tokens, raw, env):
    """(line, message) of each tag, comment, link or abbreviation that would betray the text."""
    raw_html, links = [], []
    for line, token in _tokens_with_lines(tokens):
        if token.type in ("html_block", "html_inline"):
            raw_html.append((line, token.content))
            links.extend((line + row - 1, href) for row, href in _html_links(token.content))
        elif token.type == "link_open":
            links.append((line, token.attrGet("href") or ""))
    problems = list(_refused_tags(raw_html))
    comment_line = _unclosed_comment(raw_html)
    if comment_line is not None:
        problems.append((comment_line, _UNCLOSED_COMMENT))
    elif not problems and not _shows_the_end(raw):
        problems.append((_first_unfinished(raw_html), _UNFINISHED_HTML))
    problems.extend(_unsafe_links(links))
    problems.extend(abbreviation_problems(env))
    return sorted(problems)


def _images(tokens):
    count = 0
    for _, token in _tokens_with_lines(tokens):
        if token.type == "image":
            count += 1
        elif token.type in ("html_block", "html_inline"):
            count += len(_IMG_TAG.findall(token.content))
    return count


_UNCLOSED_COMMENT = (
    "the comment “<!--” opened here is never closed; everything after it would be lost."
)
_UNFINISHED_HTML = "the HTML that starts here never ends; everything after it would be lost."
_UNSAFE_LINK = "the link {} is neither an http(s) or mailto address nor a path on this site."
_END = "<p>The end.</p>"


def _shows_the_end(html):
    """Whether a paragraph after this HTML would still be shown after sanitising."""
    return _END in SANITISER.clean(html + _END)


def _first_unfinished(raw_html):
    """The line of the first piece of raw HTML that hides what follows it."""
    unfinished = (line for line, piece in raw_html if not _shows_the_end(piece))
    return next(unfinished, raw_html[0][0] if raw_html else 0)


def _unsafe_links(links):
    return [(line, _UNSAFE_LINK.format(quoted(h))) for line, h in links if not is_safe_link(h)]


def _tokens_with_lines(tokens):
    """Each token, inline ones too, with the line (from 0) of the Markdown it came from."""
    line = 0
    for token in tokens:
        if token.map:
            line = token.map[0]
        yield line, token
        below = 0
        for child in token.children or ():
            yield line + below, child
            if child.type in ("softbreak", "hardbreak"):
                below += 1
            elif child.type == "html_inline":
                below += child.content.count("\n")


def _refused_tags(raw_html):
    """(line, message) for each tag after which the browser would read the rest as text, or
    as SVG or MathML."""
    opened, last_end = [], {}
    for line, at, match in _matches(_REFUSED_TAG, raw_html):
        tag = match[2].lower()
        if match[1]:
            last_end[tag] = at
        else:
            opened.append((line, tag, at))
    for line, tag, at in opened:
        if tag != "plaintext" and last_end.get(tag, -1) > at:
            consequence = f"remove it and its “</{tag}>”."
        else:
            consequence = "everything after it would be lost."
        yield line, f"“<{tag}>” is not allowed in the body; {consequence}"


def _unclosed_comment(raw_html):
    """The line of an HTML comment that never ends, if there is one."""
    opened = None
    for line, _, match in _matches(_COMMENT_MARK, raw_html):
        if opened is None and match[0] == "<!--":
            opened = line
        elif opened is not None and match[0].endswith(">"):
            opened = None
    return opened


def _matches(pattern, raw_html):
    """(line, offset in all the raw HTML, match) for each match in the pieces, in order."""
    offset = 0
    for line, piece in raw_html:
        row, counted = line, 0
        for match in pattern.finditer(piece):
            row += piece.count("\n", counted, match.start())
            counted = match.start()
            yield row, offset + match.start(), match
        offset += len(piece)


class _LinkFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links.extend((self.getpos()[0], v or "") for k, v in attrs if k == "href")


def _html_links(piece):
    """(line from 1, href) of the links in a piece of raw HTML."""
    if "href" not in piece.lower():
        return []
    finder = _LinkFinder()
    finder.feed(piece)
    finder.close()
    return finder.links


def render_body(body, articles_by_slug=None, images_by_id=None):
    """Render a body to safe HTML; cards and pictures pointing at nothing are left out."""
    return render_blocks(parse_blocks_leniently(body), articles_by_slug, images_by_id)


def render_blocks(blocks, articles_by_slug=None, images_by_id=None):
    """The HTML of each block, joined: the one renderer of the article page and its previews."""
    return mark_safe("\n".join(render_each(blocks, articles_by_slug, images_by_id)))


def render_each(blocks, articles_by_slug=None, images_by_id=None):
    """The HTML of each block in turn ("" for a card or picture pointing at nothing)."""
    for block in blocks:
        if isinstance(block, Text):
            yield markdown_to_html(block.markdown)
        elif isinstance(block, BodyImage):
            yield render_image(block, (images_by_id or {}).get(block.number))
        else:
            card = resolve_card(block, articles_by_slug or {})
            yield render_to_string("articles/includes/card.html", {"card": card}) if card else ""


def render_image(block, image):
    """A media library picture as a responsive <picture>, or "" when it is not in the library."""
    from articles import images

    picture = images.picture_of(image) if image is not None else None
    if picture is None:
        return ""
    context = {
        "image": image,
        "picture": picture,
        "caption": block.caption or image.caption,
    }
    return render_to_string("articles/includes/body_image.html", context)


# Text made only of these characters, with no line that starts like a list, a definition
# or indented code, renders to itself, so it need not go through Markdown to be read.
# (Word characters include "_", which is emphasis: is_plain() refuses it apart, as one class
# reads much faster than a choice between two.)
_PLAIN_CHARACTERS = re.compile(r"[\w \n,.;:?!'\"()\u2018\u2019\u201c\u201d\u2013\u2014/%$-]*")
_NOT_PLAIN_LINE = re.compile(r"^(?:[ :-]|\d+[.)])| $", re.MULTILINE)


def is_plain(text):
    return (
        "_" not in text
        and _PLAIN_CHARACTERS.fullmatch(text) is not None
        and not _NOT_PLAIN_LINE.search(text)
    )


def _plain_paragraphs(text):
    """The paragraphs of plain text (see is_plain()), each a list of its lines."""
    paragraphs = [[]]
    for line in text.split("\n"):
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return [lines for lines in paragraphs if lines]


def _plain_html(text):
    """The HTML Markdown makes of plain text: its paragraphs, nothing in them to escape."""
    return "\n".join("<p>" + "\n".join(lines) + "</p>" for lines in _plain_paragraphs(text))


def markdown_to_text(text):
    """What a reader reads of some Markdown: the rendered text without tags."""
    if is_plain(text):
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())
    return html.unescape(strip_tags(rendered(text).html))


@functools.lru_cache(maxsize=256)
def plain_text(body):
    """The words a reader reads: paragraphs and card text, no markup. Kept for the last few
    hundred bodies: a save counts them for the reading time, and the search index reads them
    again (once an import's batch of 200 pages ends)."""
    words = []
    for block in _blocks_read(body):
        if isinstance(block, Text):
            words.append(markdown_to_text(block.markdown))
        elif isinstance(block, BodyImage):
            words.append(block.caption)
        else:
            words.extend([block.title, block.excerpt, block.publisher, block.author])
    return "\n".join(w for w in words if w)


@functools.lru_cache(maxsize=8)
def _blocks_read(body):
    """The blocks of a body, for the functions here that only read them: a save asks for its
    plain text, its first paragraph and its pictures in turn."""
    return tuple(parse_blocks_leniently(body))


def first_paragraph(body):
    for block in _blocks_read(body):
        if isinstance(block, Text):
            for paragraph in re.split(r"\n\s*\n", block.markdown):
                text = markdown_to_text(paragraph).strip()
                if text:
                    return text
    return ""


def count_images(body):
    """Pictures in a body, Markdown or <img>, for the reading time."""
    count = 0
    for block in _blocks_read(body):
        count += isinstance(block, BodyImage)
        # A picture is written "![…" or "<img": text with neither has none, and needs no reading.
        text = block.markdown if isinstance(block, Text) else ""
        if "![" in text or _IMG_TAG.search(text):
            count += rendered(text).images
    return count


_LINE = re.compile(r"Line (\d+):")


def unknown_images(blocks, images_by_id):
    """A "Line N: ..." message for each image block naming no picture of the media library."""
    return [
        f"Line {block.line}: there is no picture number {block.number} in the media library; "
        "choose one with “Insert picture”."
        for block in blocks
        if isinstance(block, BodyImage)
        and block.number is not None
        and block.number not in images_by_id
    ]


def body_errors(body):
    """Every "Line N: ..." message validate_body has for `body` (none when it is fine)."""
    try:
        validate_body(body)
    except ValidationError as error:
        return list(error.messages)
    return []


def render_with_errors(blocks, errors, articles_by_slug=None, images_by_id=None):
    """The body as render_blocks draws it, each error shown after the block holding its line.

    For the live preview beside the editor: `errors` are "Line N: ..." messages.
    """
    placed = sorted(((int(match[1]) if (match := _LINE.match(e)) else 0), e) for e in errors)
    parts = []
    starts = [block.line for block in blocks[1:]] + [float("inf")] * bool(blocks)
    before = [e for line, e in placed if blocks and line < blocks[0].line]
    parts.extend(_error_html(e) for e in before)
    for block, drawn, next_start in zip(
        blocks, render_each(blocks, articles_by_slug, images_by_id), starts, strict=True
    ):
        parts.append(drawn)
        parts.extend(_error_html(e) for line, e in placed if block.line <= line < next_start)
    if not blocks:
        parts.extend(_error_html(e) for _, e in placed)
    return mark_safe("\n".join(part for part in parts if part))


def _error_html(message):
    return format_html('<p class="body-error" role="alert">{}</p>', message)
