from django import template

from newsroom import text as rules

register = template.Library()


@register.filter
def xml_safe(text):
    """The text without characters XML 1.0 forbids, for templates that write XML."""
    return rules.xml_safe(str(text))


@register.filter(is_safe=True)
def shortened(text, length):
    """|truncatechars:length, answered at once when it can be (newsroom.text.shortened())."""
    return rules.shortened(str(text), int(length))
