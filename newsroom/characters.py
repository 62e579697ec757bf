"""The characters text may not hold, as pure regular expressions any module may use; and
what a number in an address or a setting is made of.

newsroom/text.py turns them into the validators of model fields; the importer's parser, which
loads nothing of Django, reads them from here.
"""

import re

# Characters XML 1.0 forbids (C0 controls but tab, newline and carriage return; lone
# surrogates; U+FFFE and U+FFFF). Feed readers and sitemap parsers reject a document with one.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# In a one-line field, also newlines, tabs, DEL and the C1 controls, none of which can be typed
# into a headline on purpose; they arrive by pasting from other programs.
NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def is_digits(text):
    """Whether `text` is ASCII digits and nothing else: what int() reads as written. A number in
    an address, a form or a setting is that; str.isdigit() also takes "³", which int() refuses."""
    return text.isascii() and text.isdigit()
