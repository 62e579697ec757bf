"""How the site writes a moment: for machines (HTML, JSON-LD, OpenGraph) and for readers.

Both in the newsroom's time zone (TIME_ZONE). Machines get whole seconds, because HTML allows
at most three digits of a second; readers get the time alone for a moment of today, and the
date with it for any other day, so that an item from 2024 never passes for one of this morning.
"""

import time
from functools import lru_cache

from django.utils import dateformat, timezone, translation
from django.utils.html import format_html

TIME = "g:i A"
DATE_AND_TIME = "F j, Y g:i A"


# How many moments each way of writing remembers: a page writes the same few (its feed items',
# its article's) on every request, and the writing costs more than the rest of a feed item.
# The zone and the language are read once a call: each read of what is in force costs as much
# as the rest of the call.
MOMENTS_KEPT = 4096


def for_machines(moment):
    """ISO 8601 with the zone's offset, to the second: 2024-01-21T07:14:00+02:00."""
    return _for_machines(moment, timezone.get_current_timezone())


@lru_cache(maxsize=MOMENTS_KEPT)
def _for_machines(moment, zone):
    return timezone.localtime(moment, zone).replace(microsecond=0).isoformat()


def for_scripts(moment):
    """ISO 8601 with the zone's offset, to the microsecond: how the feed's script tells one
    version of an item from the next (its updated_at), on the page and in updates.json."""
    return _for_scripts(moment, timezone.get_current_timezone())


@lru_cache(maxsize=MOMENTS_KEPT)
def _for_scripts(moment, zone):
    return timezone.localtime(moment, zone).isoformat()


@lru_cache(maxsize=MOMENTS_KEPT)
def _for_readers(moment, zone, day, language):
    """The clock time for a moment of `day` in `zone`, else date and time."""
    local = timezone.localtime(moment, zone)
    return dateformat.format(local, TIME if local.date() == day else DATE_AND_TIME)


def element(moment):
    """<time datetime="(for machines)">(for readers)</time>: every time a public page draws."""
    zone = timezone.get_current_timezone()
    return _element(moment, zone, _today_in(zone), translation.get_language())


@lru_cache(maxsize=MOMENTS_KEPT)
def _element(moment, zone, day, language):
    return format_html(
        '<time datetime="{}">{}</time>',
        _for_machines(moment, zone),
        _for_readers(moment, zone, day, language),
    )


_day = (None, None, None)  # the second and the time zone today() last worked out, and the day


def today():
    """timezone.localdate(), worked out again when the second or the time zone changes: a
    page asks it for every fragment and every read, and it costs more than either's key."""
    return _today_in(timezone.get_current_timezone())


def _today_in(zone):
    global _day
    second = int(time.time())
    if _day[0] != second or _day[1] != zone:
        _day = (second, zone, timezone.localdate(timezone=zone))
    return _day[2]
