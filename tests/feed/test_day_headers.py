"""The feed's day headers follow the calendar of the site time zone (Europe/Kyiv)."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import FeedItemFactory

pytestmark = pytest.mark.django_db

KYIV = ZoneInfo("Europe/Kyiv")


def test_new_years_eve_and_new_years_day_get_their_own_day_headers(client, time_machine):
    time_machine.move_to(datetime(2025, 1, 1, 0, 5, tzinfo=KYIV), tick=False)
    # Both moments fall on December 31 in UTC (Kyiv is two hours ahead in winter).
    FeedItemFactory(
        headline="Last of the year", published_at=datetime(2024, 12, 31, 23, 59, tzinfo=KYIV)
    )
    FeedItemFactory(
        headline="First of the year", published_at=datetime(2025, 1, 1, 0, 1, tzinfo=KYIV)
    )
    # The same date a year before is another day.
    FeedItemFactory(
        headline="A year before", published_at=datetime(2023, 12, 31, 12, 0, tzinfo=KYIV)
    )

    page = client.get("/feed/").content.decode()

    stream = page[page.index("data-feed-list") :]
    headers_and_items = re.findall(
        r'<h2 class="day"[^>]*>([^<]+)</h2>|<h3[^>]*>\s*<a[^>]*>([^<]+)</a>', stream
    )
    assert [day or headline for day, headline in headers_and_items] == [
        "January 1, 2025",
        "First of the year",
        "December 31, 2024",
        "Last of the year",
        "December 31, 2023",
        "A year before",
    ]
    assert 'data-day="2025-01-01"' in stream and 'data-day="2024-12-31"' in stream
    assert '<time datetime="2025-01-01T00:01:00+02:00">12:01 AM</time>' in stream
    # Not today: the time says its date too, though the header above says it already.
    assert '<time datetime="2024-12-31T23:59:00+02:00">December 31, 2024 11:59 PM</time>' in stream
