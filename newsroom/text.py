"""Rules for text that reaches readers' machines: what XML allows, what a one-line field holds,
how a text is cut short."""

import functools

from django.core.exceptions import ValidationError
from django.utils.text import Truncator

from newsroom.characters import NOT_ONE_LINE, XML_FORBIDDEN


def xml_safe(text):
    """`text` without the characters XML 1.0 forbids."""
    return XML_FORBIDDEN.sub("", text)


def validate_one_line(value):
    """Refuse control characters in a one-line field, naming the first and where it is."""
    match = NOT_ONE_LINE.search(value)
    if match:
        raise ValidationError(
            "Remove the invisible control character U+%(code)04X at character %(position)d: "
            "this field takes one line of plain text.",
            code="control_character",
            params={"code": ord(match.group()), "position": match.start() + 1},
        )


def validate_plain_text(value):
    """Refuse characters XML forbids in a text of several lines, naming the first and where."""
    match = XML_FORBIDDEN.search(value)
    if match:
        raise ValidationError(
            "Remove the invisible control character U+%(code)04X at character %(position)d.",
            code="control_character",
            params={"code": ord(match.group()), "position": match.start() + 1},
        )


def shortened(text, length):
    """`text` cut to `length` characters, the last an ellipsis, as Django's Truncator cuts it;
    answered at once for a text short enough (Truncator walks every text it is given) and for
    one cut before: pages' descriptions are few and asked for often."""
    return text if len(text) <= length else _cut(text, length)


@functools.lru_cache(maxsize=4096)
def _cut(text, length):
    return Truncator(text).chars(length)
