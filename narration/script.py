"""What a narration reads, as plain data: the headline, the byline, then the body's paragraphs.

Pure: takes the headline, the authors' names and the body as the page renders it, returns
text written for listening. No database, no audio. The body's readable blocks are the ones the
player highlights (static/narration/player.js selects the same elements, in the same order):
paragraphs, subheadings, list items and quoted paragraphs at the top of the body. Cards,
pictures, captions, tables and code are skipped.
"""

import calendar
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.utils.text import get_text_list

HEADLINE = "headline"
BYLINE = "byline"
PARAGRAPH = "paragraph"

# A chunk of text a voice is given at once: long paragraphs are cut at sentence ends.
CHUNK_LIMIT = 1000

# Elements read at the top of the body, and those read inside a top-level list or quote.
READ_AT_TOP = {"p", "h2", "h3", "h4"}
READ_INSIDE = {"ul": "li", "ol": "li", "blockquote": "p"}
SKIPPED = {"aside", "figure", "figcaption", "table", "pre", "script", "style", "sup"}


@dataclass(frozen=True)
class Part:
    """One piece read in turn: the headline, the byline, or body paragraph `index` (from 0)."""

    kind: str
    text: str
    index: int | None = None


@dataclass(frozen=True)
class Script:
    parts: tuple[Part, ...]

    @property
    def text(self):
        return "\n\n".join(part.text for part in self.parts)

    @property
    def words(self):
        return len(self.text.split())


def build(*, headline, authors, body_html):
    """The script of an article: `authors` are names in byline order, `body_html` the body."""
    parts = [Part(HEADLINE, for_listening(headline))]
    if authors:
        parts.append(Part(BYLINE, "By " + get_text_list(list(authors), "and") + "."))
    for index, text in enumerate(readable_blocks(body_html)):
        spoken = for_listening(text)
        if spoken:
            parts.append(Part(PARAGRAPH, spoken, index))
    return Script(tuple(part for part in parts if part.text))


class _Blocks(HTMLParser):
    """The text of each readable block of body HTML, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.stack = []  # open elements
        self.current = None  # text of the block being read, or None
        self.reading_depth = None
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "hr", "img", "wbr"):
            if tag == "br" and self.current is not None:
                self.current.append(" ")
            return
        parent = self.stack[-1] if self.stack else None
        if self.current is None and not self.skipping:
            at_top = len(self.stack) == 0 and tag in READ_AT_TOP
            inside = len(self.stack) == 1 and READ_INSIDE.get(parent) == tag
            if at_top or inside:
                self.current = []
                self.reading_depth = len(self.stack)
        if tag in SKIPPED:
            self.skipping += 1
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            if open_tag in SKIPPED:
                self.skipping -= 1
            if self.current is not None and len(self.stack) == self.reading_depth:
                self.blocks.append(" ".join("".join(self.current).split()))
                self.current = None
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.current is not None and not self.skipping:
            self.current.append(data)


def readable_blocks(body_html):
    parser = _Blocks()
    parser.feed(body_html)
    parser.close()
    return parser.blocks


# Text normalisation: what a listener expects to hear for what a reader sees.

# "Jan." read as "January": Python's English month names (as newsroom/capture/parse.py reads
# them), and the AP style's "Sept.".
MONTHS = {
    **{
        short: name
        for short, name in zip(calendar.month_abbr, calendar.month_name, strict=True)
        if short != name
    },
    "Sept": "September",
}
INITIALISMS = {
    "U.S.": "United States",
    "U.K.": "United Kingdom",
    "U.N.": "United Nations",
    "E.U.": "European Union",
}
TITLES = {"Mr.": "Mister", "Mrs.": "Missus", "Dr.": "Doctor", "St.": "Saint", "Gen.": "General"}
UNITS = {
    "mm": ("millimetre", "millimetres"),
    "cm": ("centimetre", "centimetres"),
    "m": ("metre", "metres"),
    "km": ("kilometre", "kilometres"),
    "km/h": ("kilometre an hour", "kilometres an hour"),
    "kg": ("kilogram", "kilograms"),
    "t": ("tonne", "tonnes"),
    "MW": ("megawatt", "megawatts"),
    "GW": ("gigawatt", "gigawatts"),
}
SCALES = {"thousand", "million", "billion", "trillion"}
CURRENCIES = {"$": ("dollar", "dollars"), "€": ("euro", "euros"), "£": ("pound", "pounds")}

ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
POWERS = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))
ORDINAL_ENDINGS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}


def number_words(number):
    """A whole number in English words: 152 -> "one hundred fifty-two"."""
    if number < 0:
        return "minus " + number_words(-number)
    if number < 20:
        return ONES[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return TENS[tens] + (f"-{ONES[ones]}" if ones else "")
    if number < 1000:
        hundreds, rest = divmod(number, 100)
        return f"{ONES[hundreds]} hundred" + (f" {number_words(rest)}" if rest else "")
    for power, name in POWERS:
        if number >= power:
            high, rest = divmod(number, power)
            return f"{number_words(high)} {name}" + (f" {number_words(rest)}" if rest else "")
    raise AssertionError(number)


def year_words(year):
    """A year as it is said: 2024 -> "twenty twenty-four", 1905 -> "nineteen oh five"."""
    high, low = divmod(year, 100)
    if low == 0:
        return f"{number_words(high)} hundred" if high % 10 else number_words(year)
    if 2000 <= year < 2010:
        return number_words(year)
    return f"{number_words(high)} " + (f"oh {ONES[low]}" if low < 10 else number_words(low))


def ordinal_words(number):
    """21 -> "twenty-first"."""
    head, last = re.fullmatch(r"(.*?[ -]?)(\w+)", number_words(number)).groups()
    if last in ORDINAL_ENDINGS:
        last = ORDINAL_ENDINGS[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return head + last


def decimal_words(text):
    """ "1.5" -> "one point five"; "1,000" -> "one thousand"."""
    whole, _, fraction = text.replace(",", "").partition(".")
    words = number_words(int(whole))
    if fraction:
        words += " point " + " ".join(ONES[int(digit)] for digit in fraction)
    return words


_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\.(?=\s+\d)")
_INITIALISM = re.compile("|".join(re.escape(key) for key in INITIALISMS))
_TITLE = re.compile(r"\b(" + "|".join(re.escape(key[:-1]) for key in TITLES) + r")\.(?=\s)")
_DOTTED = re.compile(r"\b((?:[A-Z]\.){2,})")
_UNIT = re.compile(
    rf"({_NUMBER})(?:\s|-)?("
    + "|".join(re.escape(u) for u in sorted(UNITS, key=len)[::-1])
    + r")\b"
)
_MONEY = re.compile(rf"([$€£])\s?({_NUMBER})(?:\s+({'|'.join(SCALES)}))?")
_PERCENT = re.compile(rf"({_NUMBER})\s?%")
_MONTH_DAY = re.compile(rf"\b({'|'.join(calendar.month_name[1:])}) (\d{{1,2}})\b(?![,.]?\d)")
_ORDINAL = re.compile(r"\b(\d+)(st|nd|rd|th)\b")
_YEAR = re.compile(r"(?<![\d,.$€£])\b(1[1-9]\d\d|20\d\d)\b(?![\d,.]\d)")
_DECADE = re.compile(r"\b(1[1-9]|20)(\d)0s\b")
_ANY_NUMBER = re.compile(rf"(?<![\w.])({_NUMBER})(?![\w])")
_SPACES = re.compile(r"\s+")


def _unit(match):
    amount, unit = match[1], match[2]
    singular, plural = UNITS[unit]
    return f"{amount} {singular if amount == '1' else plural}"


def _money(match):
    symbol, amount, scale = match[1], match[2], match[3]
    singular, plural = CURRENCIES[symbol]
    if scale:
        return f"{amount} {scale} {plural}"
    return f"{amount} {singular if amount == '1' else plural}"


def _decade(match):
    year = year_words(int(match[1] + match[2] + "0"))
    return year[:-1] + "ies" if year.endswith("y") else year + "s"


def for_listening(text):
    """`text` as a voice should read it: abbreviations, units, dates and numbers in words."""
    text = text.replace("\u00a0", " ").replace("—", ", ").replace("–", " to ")
    text = _INITIALISM.sub(lambda m: INITIALISMS[m[0]], text)
    text = _MONTH.sub(lambda m: MONTHS[m[1]], text)
    text = _TITLE.sub(lambda m: TITLES[m[1] + "."], text)
    text = _DOTTED.sub(lambda m: " ".join(m[1].replace(".", "")), text)
    text = _MONEY.sub(_money, text)
    text = _PERCENT.sub(lambda m: f"{m[1]} percent", text)
    text = _UNIT.sub(_unit, text)
    text = _ORDINAL.sub(lambda m: ordinal_words(int(m[1])), text)
    text = _MONTH_DAY.sub(lambda m: f"{m[1]} {ordinal_words(int(m[2]))}", text)
    text = _DECADE.sub(_decade, text)
    text = _YEAR.sub(lambda m: year_words(int(m[1])), text)
    text = _ANY_NUMBER.sub(lambda m: decimal_words(m[1]), text)
    return _SPACES.sub(" ", text).strip()


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]?\s+")


def sentences(text):
    return [piece.strip() for piece in _SENTENCE_END.split(text) if piece.strip()]


def chunks(text, limit=CHUNK_LIMIT):
    """`text` cut into pieces of at most `limit` characters, at sentence ends where it can be
    (then at commas, then at spaces); joined back with spaces they give the text again."""
    pieces, current = [], ""
    for sentence in sentences(text):
        for piece in _cut(sentence, limit):
            if current and len(current) + 1 + len(piece) > limit:
                pieces.append(current)
                current = piece
            else:
                current = f"{current} {piece}" if current else piece
    if current:
        pieces.append(current)
    return pieces


def _cut(sentence, limit):
    """A sentence longer than `limit` cut at commas, then spaces, then anywhere."""
    if len(sentence) <= limit:
        return [sentence]
    for separator in (", ", " "):
        if separator in sentence:
            first, *rest = sentence.split(separator)
            pieces, current = [], first
            for word in rest:
                joined = f"{current}{separator}{word}"
                if len(joined) > limit:
                    pieces.append(current + separator.rstrip())
                    current = word
                else:
                    current = joined
            pieces.append(current)
            return [p for piece in pieces for p in _cut(piece, limit)]
    return [sentence[i : i + limit] for i in range(0, len(sentence), limit)]
