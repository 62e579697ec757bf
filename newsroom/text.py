"""Rules for text that reaches readers' machines: what XML allows, what a one-line field holds,
how a text is cut short."""

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
    a text short enough is answered without walking it (Truncator walks every text it is
    given, and looks up the ellipsis's translation)."""
    return text if len(text) <= length else Truncator(text).chars(length)
