"""Times on the public site: a valid HTML datetime, and the date whenever it is not today."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import ArticleFactory, FeedItemFactory, SectionFactory
from tests.html import find_all, parse, text

pytestmark = pytest.mark.django_db

KYIV = ZoneInfo("Europe/Kyiv")
# HTML's "valid global date and time string": at most three digits of a second, and a zone.
VALID_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})"
)
# Half past midnight in Kyiv is still the day before in UTC.
NOW = datetime(2026, 3, 1, 0, 30, tzinfo=KYIV)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def times_on(client, path):
    return [(t.attributes["datetime"], text(t)) for t in find_all(parse(client.get(path)), "time")]


def test_times_with_microseconds_get_a_datetime_html_accepts(client, frozen):
    moment = NOW - timedelta(minutes=10, microseconds=123456)
    section = SectionFactory(name="Ukraine news")
    article = ArticleFactory(published_at=moment, section=section)
    FeedItemFactory(published_at=moment, section=section)
    for path in ("/", article.get_absolute_url(), "/feed/", section.get_absolute_url()):
        datetimes = [value for value, _ in times_on(client, path)]
        assert datetimes, f"{path} shows no time"
        for value in datetimes:
            assert VALID_DATETIME.fullmatch(value), f"{path}: {value!r} is not a valid datetime"
        assert "2026-03-01T00:19:59+02:00" in datetimes


def test_a_time_from_today_shows_the_clock_and_one_from_another_day_the_date(client, frozen):
    FeedItemFactory(headline="Just now", published_at=NOW - timedelta(minutes=5))
    # 23:50 in Kyiv the day before: the same day as now in UTC, not in the newsroom's zone.
    FeedItemFactory(headline="Last night", published_at=datetime(2026, 2, 28, 23, 50, tzinfo=KYIV))
    FeedItemFactory(headline="Archive", published_at=datetime(2024, 1, 21, 7, 14, tzinfo=KYIV))
    shown = [words for _, words in times_on(client, "/feed/")]
    assert shown == ["12:25 AM", "February 28, 2026 11:50 PM", "January 21, 2024 7:14 AM"]


def test_home_boxes_show_the_date_of_an_old_item(client, frozen):
    FeedItemFactory(headline="Archive", published_at=datetime(2024, 1, 21, 7, 14, tzinfo=KYIV))
    ArticleFactory(published_at=datetime(2024, 1, 20, 9, 5, tzinfo=KYIV), section=SectionFactory())
    shown = [words for _, words in times_on(client, "/")]
    assert "January 21, 2024 7:14 AM" in shown
    assert "January 20, 2024 9:05 AM" in shown
    assert "7:14 AM" not in shown


def test_today_is_the_day_in_the_time_zone_in_force_at_each_moment():
    import time_machine
    from django.utils import timezone

    from newsroom import times

    with time_machine.travel(datetime(2026, 3, 1, 23, 59, 59, 900_000, tzinfo=KYIV), tick=False):
        with timezone.override(KYIV):
            assert times.today() == datetime(2026, 3, 1).date()
        with timezone.override(ZoneInfo("Asia/Tokyo")):  # already the next morning there
            assert times.today() == datetime(2026, 3, 2).date()
        with timezone.override(KYIV):
            assert times.today() == datetime(2026, 3, 1).date()
    with time_machine.travel(datetime(2026, 3, 2, 0, 0, 0, 100_000, tzinfo=KYIV), tick=False):
        with timezone.override(KYIV):
            assert times.today() == datetime(2026, 3, 2).date()


def test_a_moment_written_once_is_written_again_for_another_zone_day_or_language():
    import time_machine
    from django.utils import timezone, translation

    from newsroom import times

    moment = datetime(2026, 3, 1, 7, 14, tzinfo=KYIV)
    with time_machine.travel(datetime(2026, 3, 1, 12, 0, tzinfo=KYIV), tick=False):
        with timezone.override(KYIV):
            assert times.for_machines(moment) == "2026-03-01T07:14:00+02:00"
            assert times.for_scripts(moment.replace(microsecond=5)) == (
                "2026-03-01T07:14:00.000005+02:00"
            )
            assert times.element(moment) == (
                '<time datetime="2026-03-01T07:14:00+02:00">7:14 AM</time>'
            )
        with timezone.override(ZoneInfo("Asia/Tokyo")):
            assert times.element(moment) == (
                '<time datetime="2026-03-01T14:14:00+09:00">2:14 PM</time>'
            )
            assert times.for_machines(moment) == "2026-03-01T14:14:00+09:00"
            assert times.for_scripts(moment.replace(microsecond=5)) == (
                "2026-03-01T14:14:00.000005+09:00"
            )
    with time_machine.travel(datetime(2026, 3, 2, 0, 1, tzinfo=KYIV), tick=False):
        with timezone.override(KYIV):
            assert times.element(moment) == (
                '<time datetime="2026-03-01T07:14:00+02:00">March 1, 2026 7:14 AM</time>'
            )
        with timezone.override(KYIV), translation.override("de"):
            assert times.element(moment) == (
                '<time datetime="2026-03-01T07:14:00+02:00">März 1, 2026 7:14 vorm.</time>'
            )
