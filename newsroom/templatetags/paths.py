"""{% load paths %}, then {% path 'articles:rss' %}: {% url %} for the pages every page links
to, from memory after the first time (newsroom/paths.py)."""

from django import template

from newsroom.paths import path_of

register = template.Library()


@register.simple_tag
def path(name, **kwargs):
    return path_of(name, **kwargs)
