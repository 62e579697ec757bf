"""Parse a captured article page into plain data, touching no database.

A captured page looks like this (samples/ holds a real one):

     date 2024-01-21 Skip to content
    Media: Putin preparing to visit North Korea

    by Rachel Amran and The Kyiv Independent news desk January 21, 2024 7:14 AM 2 min read
    This audio is created with AI assistance

    Body paragraphs, separated by blank lines. A related-article card is three lines with no
    blank line between them: title, excerpt, publisher run together with the card's author.
    Authors: Rachel Amran, The Kyiv Independent news desk
    Most popular

    News Feed

    7:14 AM

    A feed headline.

    Its summary.
    Ukraine news        <- a section header: the items below it are in this section

parse_page() touches no database and imports no model, so it can be tested with thousands of
generated pages; it raises PageError, with the line, for anything it cannot trust. Writing
the result to the database is apply.py's job.
"""

import calendar
import codecs
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from newsroom.characters import NOT_ONE_LINE, XML_FORBIDDEN

AUDIO_LINE = "This audio is created with AI assistance"
AUTHORS_PREFIX = "Authors:"
MOST_POPULAR = "Most popular"
NEWS_FEED = "News Feed"
KNOWN_PUBLISHERS = ("The Kyiv Independent",)
# Pages print months in English, as Python names them unless locale.setlocale() has been
# called, which nothing in the site does.
MONTH_NUMBERS = {name: number for number, name in enumerate(calendar.month_name) if name}
CARD_LINES = 3
CARD_FIELDS = ("card's title", "card's excerpt", "card's publisher and author")

HEADLINE_MAX = 300
AUTHOR_MAX = 200
SECTION_MAX = 100

_DATE_LINE = re.compile(r"^\s*date\s+(?P<date>\S+)")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_BYLINE = re.compile(
    r"^by\s+(?P<authors>.+?)\s+(?P<month>[A-Za-z]+)\s+(?P<day>\d{1,2}),\s+(?P<year>\d{4})\s+"
    r"(?P<clock>\d{1,2}:\d{2}\s*[AaPp][Mm])\s+(?P<minutes>\d{1,4})\s+min\s+read$"
)
_CLOCK = re.compile(r"^(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<half>[AaPp][Mm])$")
_AUTHOR_SEPARATOR = re.compile(r",\s+|\s+and\s+")
_RUN_TOGETHER = re.compile(r"(?<=[a-z])(?=[A-Z])")
_DESK = re.compile(r"\bdesk$", re.IGNORECASE)


class PageError(Exception):
    """Input that cannot be imported; names the line and what was expected there."""

    def __init__(self, line, message):
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class AuthorName:
    name: str
    is_desk: bool


@dataclass(frozen=True)
class CardData:
    title: str
    excerpt: str
    publisher: str
    author: str

    def as_markdown(self):
        lines = [":::card", f"title: {self.title}"]
        for key in ("excerpt", "publisher", "author"):
            if value := getattr(self, key):
                lines.append(f"{key}: {value}")
        return "\n".join([*lines, ":::"])


@dataclass(frozen=True)
class ArticleData:
    headline: str
    authors: tuple[AuthorName, ...]
    published_at: datetime
    audio_ai_generated: bool
    blocks: tuple  # paragraphs (str) and CardData, in page order
    stated_minutes: int

    @property
    def body(self):
        """The body as the site stores it: Markdown paragraphs and :::card blocks."""
        return "\n\n".join(
            block.as_markdown() if isinstance(block, CardData) else block for block in self.blocks
        )


@dataclass(frozen=True)
class FeedItemData:
    headline: str
    summary: str
    published_at: datetime
    section: str  # "" when no section header came before it
    line: int = field(compare=False)


@dataclass(frozen=True)
class PageData:
    capture_date: date
    article: ArticleData | None
    feed_items: tuple[FeedItemData, ...]
    digest: str = field(compare=False, default="")


def decode(data):
    """Bytes of a page as text: UTF-8, an optional byte-order mark, any line ends."""
    if isinstance(data, bytes):
        body = data.removeprefix(codecs.BOM_UTF8)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            # Counted in the file as an editor shows it, byte-order mark included.
            at = len(data) - len(body) + error.start
            line = data[:at].count(b"\n") + 1
            raise PageError(
                line, f"byte {at + 1} is not UTF-8 text; expected a UTF-8 text file"
            ) from None
    else:
        text = data.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_page(data, tz, publishers=KNOWN_PUBLISHERS):
    """Parse one captured page (bytes or str) into PageData; raise PageError when malformed."""
    text = decode(data)
    if not text.strip():
        raise PageError(1, "the file is empty; expected ' date YYYY-MM-DD' and an article page")
    lines = [line.strip() for line in text.split("\n")]
    if XML_FORBIDDEN.search(text):  # rarely: then which line
        for number, line in enumerate(lines, start=1):
            _check_characters(number, "line", line, XML_FORBIDDEN)
    reader = _Lines(lines)
    capture_date = _parse_capture_date(reader)
    article = None
    first = reader.peek_text()
    if first is None:
        raise PageError(reader.last_number, "expected the headline after the date line")
    if first[1] not in (MOST_POPULAR, NEWS_FEED):
        article = _parse_article(reader, tz, publishers)
    start = article.published_at if article else _end_of_day(capture_date, tz)
    feed_items = _parse_feed(reader, start, tz)
    digest = hashlib.sha256(text.encode()).hexdigest()
    return PageData(capture_date, article, tuple(feed_items), digest)


class _Lines:
    """The page's lines with a cursor; numbers are 1-based like an editor's."""

    def __init__(self, lines):
        self.lines = lines
        self.index = 0

    def next_text(self):
        """The next non-blank line as (number, text), or None at the end."""
        while self.index < len(self.lines):
            self.index += 1
            if self.lines[self.index - 1]:
                return self.index, self.lines[self.index - 1]
        return None

    def peek_text(self):
        saved = self.index
        found = self.next_text()
        self.index = saved
        return found

    @property
    def last_number(self):
        """The number of the last line; a final line end starts no new line."""
        # parse_page() has refused a blank page, so some line before the last has text.
        count = len(self.lines)
        return count - 1 if not self.lines[-1] else count


def _parse_capture_date(reader):
    number, line = reader.next_text()
    match = _DATE_LINE.match(line)
    if number != 1 or not match:
        raise PageError(number, f"expected ' date YYYY-MM-DD Skip to content', got {line[:60]!r}")
    value = match["date"]
    parts = _ISO_DATE.match(value)
    if not parts:
        raise PageError(1, f"expected the capture date as YYYY-MM-DD, got {value[:20]!r}")
    try:
        day = date(*map(int, parts.groups()))
    except ValueError:
        raise PageError(1, f"{value} is not a real date; expected YYYY-MM-DD") from None
    return _in_range(1, day)


def _parse_article(reader, tz, publishers):
    number, headline = reader.next_text()
    if headline.startswith("by ") and _BYLINE.match(headline):
        raise PageError(number, "expected the headline before the byline")
    if headline.startswith(AUTHORS_PREFIX):
        raise PageError(number, "expected the headline, got the Authors: line")
    _check_one_line(number, "headline", headline, HEADLINE_MAX)
    found = reader.next_text()
    if found is None:
        raise PageError(
            reader.last_number,
            "expected a byline 'by <authors> <Month D, YYYY> <H:MM AM|PM> <N> min read' "
            "after the headline; the file ends",
        )
    number, byline = found
    _check_characters(number, "byline", byline, NOT_ONE_LINE)
    match = _BYLINE.match(byline)
    if not match:
        raise PageError(
            number,
            "expected a byline 'by <authors> <Month D, YYYY> <H:MM AM|PM> <N> min read', "
            f"got {byline[:60]!r}",
        )
    authors = _parse_author_names(number, match["authors"])
    published_at = _byline_time(number, match, tz)

    audio = False
    found = reader.peek_text()
    if found and found[1] == AUDIO_LINE:
        reader.next_text()
        audio = True

    body_lines, authors_line = [], None
    while reader.index < len(reader.lines):
        reader.index += 1
        number, line = reader.index, reader.lines[reader.index - 1]
        if line.startswith(AUTHORS_PREFIX):
            authors_line = number, line
            break
        body_lines.append((number, line))
    if authors_line is None:
        raise PageError(
            reader.last_number, "expected an 'Authors: <names>' line after the body; none found"
        )
    number, line = authors_line
    listed = tuple(name.strip() for name in line[len(AUTHORS_PREFIX) :].split(","))
    if listed != tuple(author.name for author in authors):
        raise PageError(
            number,
            f"the Authors: line lists {', '.join(listed)!r} but the byline has "
            f"{', '.join(a.name for a in authors)!r}; expected the same names in the same order",
        )
    blocks = _parse_body(body_lines, publishers)
    return ArticleData(
        headline=headline,
        authors=authors,
        published_at=published_at,
        audio_ai_generated=audio,
        blocks=blocks,
        stated_minutes=int(match["minutes"]),
    )


def _check_length(number, what, value, limit):
    if len(value) > limit:
        raise PageError(number, f"the {what} is {len(value)} characters; expected at most {limit}")


def _check_characters(number, what, value, forbidden):
    """Refuse a character of `forbidden` (newsroom/characters.py), saying which and where."""
    match = forbidden.search(value)
    if match:
        expected = "one line of plain text" if forbidden is NOT_ONE_LINE else "printable text"
        raise PageError(
            number,
            f"character {match.start() + 1} of the {what} is the invisible control character "
            f"U+{ord(match.group()):04X}; expected {expected}",
        )


def _check_one_line(number, what, value, limit):
    """A field the site keeps as one line, such as a headline or a section's name."""
    _check_characters(number, what, value, NOT_ONE_LINE)
    _check_length(number, what, value, limit)


def _parse_author_names(number, text):
    names = [name.strip() for name in _AUTHOR_SEPARATOR.split(text)]
    if not all(names):
        raise PageError(number, f"expected author names separated by ', ' and ' and ': {text!r}")
    if len(set(names)) != len(names):
        raise PageError(number, "an author is named twice in the byline; expected each once")
    for name in names:
        _check_length(number, "author name", name, AUTHOR_MAX)
    return tuple(AuthorName(name, bool(_DESK.search(name))) for name in names)


def _clock(number, text):
    match = _CLOCK.match(text)
    if not match:
        return None
    hour, minute = int(match["hour"]), int(match["minute"])
    if not 1 <= hour <= 12 or minute > 59:
        raise PageError(number, f"{text} is not a real time; expected H:MM AM or PM")
    hour = hour % 12 + (12 if match["half"].lower() == "pm" else 0)
    return time(hour, minute)


def _byline_time(number, match, tz):
    month = match["month"].capitalize()
    if month not in MONTH_NUMBERS:
        raise PageError(number, f"{match['month']!r} is not a month; expected e.g. January")
    try:
        day = date(int(match["year"]), MONTH_NUMBERS[month], int(match["day"]))
    except ValueError:
        raise PageError(
            number, f"{month} {match['day']}, {match['year']} is not a real date"
        ) from None
    clock = _clock(number, match["clock"])
    return datetime.combine(_in_range(number, day), clock, tzinfo=tz)


# Years a database and the time-zone arithmetic can hold with a day to spare on either side.
FIRST_YEAR, LAST_YEAR = 1000, 9998


def _in_range(number, day):
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise PageError(
            number,
            f"{day.isoformat()} is out of range; expected a year from {FIRST_YEAR} to {LAST_YEAR}",
        )
    return day


def _parse_body(numbered_lines, publishers):
    """Paragraphs and cards; a card is three lines with no blank line between them."""
    runs, run = [], []
    for number, line in numbered_lines:
        if line:
            if line.lower() == ":::card":
                raise PageError(number, "':::card' cannot be body text; expected a paragraph")
            run.append((number, line))
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    blocks = []
    for run in runs:
        texts = [line for _, line in run]
        if len(run) == CARD_LINES:
            for (number, line), what in zip(run, CARD_FIELDS, strict=True):
                _check_characters(number, what, line, NOT_ONE_LINE)
            publisher, author = split_publisher(texts[2], publishers)
            blocks.append(CardData(texts[0], texts[1], publisher, author))
        else:
            blocks.append("\n".join(texts))
    return tuple(blocks)


def split_publisher(text, publishers=KNOWN_PUBLISHERS):
    """'The Kyiv IndependentElsa Court' -> ('The Kyiv Independent', 'Elsa Court')."""
    for publisher in publishers:
        if text.startswith(publisher):
            return publisher, text[len(publisher) :].strip()
    parts = _RUN_TOGETHER.split(text, maxsplit=1)
    if len(parts) == 2:
        return parts[0].strip(), parts[1].strip()
    return text, ""


def _end_of_day(day, tz):
    return datetime.combine(day, time.max, tzinfo=tz)


def infer_time(clock, not_after):
    """The latest moment at this clock time that is not later than not_after (same zone)."""
    local = not_after.replace(tzinfo=None)
    moment = datetime.combine(local.date(), clock)
    if moment > local:
        moment -= timedelta(days=1)
    return moment.replace(tzinfo=not_after.tzinfo)


def _parse_feed(reader, start, tz):
    # Page chrome until the feed: "Most popular" and whatever it lists.
    while (found := reader.next_text()) is not None and found[1] != NEWS_FEED:
        pass
    items, section, previous = [], "", start
    found = reader.next_text()
    while found is not None:
        number, line = found
        clock = _clock(number, line)
        if clock is None:
            # A section header, which must be followed by a feed time.
            section = line
            _check_one_line(number, "section name", section, SECTION_MAX)
            found = reader.next_text()
            if found is None or _clock(found[0], found[1]) is None:
                where = found[0] if found else reader.last_number
                raise PageError(
                    where,
                    f"expected a feed time like 7:14 AM after the section header {line[:60]!r}",
                )
            continue
        headline = reader.next_text()
        if headline is None or _clock(*headline) is not None:
            raise PageError(number, f"the feed time {line} has no headline after it")
        _check_one_line(headline[0], "feed headline", headline[1], HEADLINE_MAX)
        summary = ""
        found = reader.next_text()
        if found is not None and _clock(*found) is None:
            summary = found[1]
            found = reader.next_text()
        previous = infer_time(clock, previous)
        items.append(FeedItemData(headline[1], summary, previous, section, number))
    return items
