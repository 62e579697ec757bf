import functools

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
    """|truncatechars:length, answered at once for a text already short enough or cut before
    (counting a text's characters walks it): pages' descriptions are few and asked often."""
    text = str(text)
    return text if len(text) <= int(length) else _cut(text, int(length))


@functools.lru_cache(maxsize=4096)
def _cut(text, length):
    return truncatechars(text, length)
