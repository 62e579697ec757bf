"""Rules for text that reaches readers' machines: what XML allows, what a one-line field holds."""

import re

from django.core.exceptions import ValidationError

# Characters XML 1.0 forbids (C0 controls but tab, newline and carriage return; lone
# surrogates; U+FFFE and U+FFFF). Feed readers and sitemap parsers reject a document with one.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# In a one-line field, also newlines, tabs, DEL and the C1 controls, none of which can be typed
# into a headline on purpose; they arrive by pasting from other programs.
NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


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
