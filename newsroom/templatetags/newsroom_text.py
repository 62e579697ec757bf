import functools

from django import template

from newsroom import text as rules

register = template.Library()


@register.filter
def xml_safe(text):
    """The text without characters XML 1.0 forbids, for templates that write XML."""
    return rules.xml_safe(str(text))


@register.filter(is_safe=True)
def shortened(text, length):
    """|truncatechars:length (newsroom.text.shortened()), a cut remembered: pages'
    descriptions are few and asked for often."""
    text, length = str(text), int(length)
    # A short text comes back as it came, safe or not; only cuts (plain str) are remembered.
    return text if len(text) <= length else _cut(text, length)


@functools.lru_cache(maxsize=4096)
def _cut(text, length):
    return rules.shortened(text, length)
