"""The admin's date and time formats in English: the desk's (newsroom.dates), not Django's
"Nov. 30, 2026, 7:48 p.m.".

Django writes a moment with these wherever the admin shows one (lists, read-only fields,
history pages) and with `|date:"DATETIME_FORMAT"`. The public site names its formats
(newsroom.times) and is not changed by them. The zone is read when the module is first
imported: TIME_ZONE does not change while the site runs.
"""

from newsroom import dates

DATETIME_FORMAT = SHORT_DATETIME_FORMAT = dates.desk_format()
DATE_FORMAT = SHORT_DATE_FORMAT = dates.DAY_FORMAT
TIME_FORMAT = "H:i"
