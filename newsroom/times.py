"""How the site writes a moment: for machines (HTML, JSON-LD, OpenGraph) and for readers.

Both in the newsroom's time zone (TIME_ZONE). Machines get whole seconds, because HTML allows
at most three digits of a second; readers get the time alone for a moment of today, and the
date with it for any other day, so that an item from 2024 never passes for one of this morning.
"""

import time

from django.utils import dateformat, timezone

TIME = "g:i A"
DATE_AND_TIME = "F j, Y g:i A"


def for_machines(moment):
    """ISO 8601 with the zone's offset, to the second: 2024-01-21T07:14:00+02:00."""
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def for_readers(moment, now=None):
    """The clock time for a moment of today in the newsroom's time zone, else date and time."""
    local = timezone.localtime(moment)
    today = timezone.localdate(now or timezone.now())
    return dateformat.format(local, TIME if local.date() == today else DATE_AND_TIME)


_day = (None, None, None)  # the second and the time zone today() last worked out, and the day


def today():
    """timezone.localdate(), worked out again when the second or the time zone changes: a
    page asks it for every fragment and every read, and it costs more than either's key."""
    global _day
    second, zone = int(time.time()), timezone.get_current_timezone_name()
    if _day[:2] != (second, zone):
        _day = (second, zone, timezone.localdate())
    return _day[2]
