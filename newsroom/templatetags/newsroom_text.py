from django import template
from django.template.defaultfilters import truncatechars

from newsroom.text import xml_safe as _xml_safe

register = template.Library()


@register.filter
def xml_safe(text):
    """The text without characters XML 1.0 forbids, for templates that write XML."""
    return _xml_safe(str(text))


@register.filter(is_safe=True)
def shortened(text, length):
    """|truncatechars:length, answered at once for a text already short enough (its count
    of characters would walk the text): most pages' descriptions need no cut."""
    text = str(text)
    return text if len(text) <= int(length) else truncatechars(text, length)
