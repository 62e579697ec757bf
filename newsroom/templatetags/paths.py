"""{% load paths %}, then {% path 'articles:rss' %}: {% url %} for the pages every page links
to, and {% asset 'newsroom/site.css' %}: {% static %} for the files every page loads, from
memory after the first time (newsroom/paths.py)."""

from django import template

from newsroom.paths import path_of, static_path

register = template.Library()


@register.simple_tag
def path(name, **kwargs):
    return path_of(name, **kwargs)


@register.simple_tag
def asset(name):
    return static_path(name)
