from django import template

from newsroom.text import xml_safe as _xml_safe

register = template.Library()


@register.filter
def xml_safe(text):
    """The text without characters XML 1.0 forbids, for templates that write XML."""
    return _xml_safe(str(text))
