"""{% load newsroom_time %}, then {% time_tag moment %}: every time the public site draws."""

from django import template

from newsroom import times

register = template.Library()


@register.filter
def for_machines(moment):
    """A moment as sitemaps and feeds write it: ISO 8601, to the second, with its offset."""
    return times.for_machines(moment) if moment else ""


@register.filter
def for_scripts(moment):
    """A moment as the feed's script compares it: ISO 8601, to the microsecond."""
    return times.for_scripts(moment) if moment else ""


@register.simple_tag
def time_tag(moment):
    """A <time> element with a valid datetime, reading "7:14 AM" today and with its date else."""
    return "" if moment is None else times.element(moment)
