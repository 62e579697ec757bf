"""One way to write a moment for the newsroom's staff: in its time zone, with the zone named.

desk_time() writes it, and the admin's own formats (newsroom/formats/) are built from
desk_format(), so that Django's lists, forms and history pages write it the same way.
"""

from django.conf import settings
from django.utils import dateformat, timezone, translation

DESK_FORMAT = "F j, Y, H:i"
DAY_FORMAT = "F j, Y"


def zone_name():
    """The newsroom's time zone as staff call it: "Europe/Kyiv" is "Kyiv"."""
    return settings.TIME_ZONE.rsplit("/", 1)[-1].replace("_", " ")


def zone_offset(moment=None):
    """The zone's offset from UTC at `moment` (now by default), as "UTC+02:00"."""
    offset = timezone.localtime(moment).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def desk_format():
    """DESK_FORMAT followed by the zone's name, escaped for Django's date formatting."""
    named = "".join(f"\\{character}" for character in f" ({zone_name()})")
    return DESK_FORMAT + named


def desk_time(moment):
    """ "January 22, 2024, 09:00 (Kyiv)", or "" for no moment."""
    if moment is None:
        return ""
    with translation.override("en"):
        return dateformat.format(timezone.localtime(moment), desk_format())
