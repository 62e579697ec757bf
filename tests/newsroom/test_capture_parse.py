import subprocess
import sys
from dataclasses import FrozenInstanceError
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from newsroom.capture import parse

KYIV = ZoneInfo("Europe/Kyiv")
SAMPLE = Path(settings.BASE_DIR) / "samples" / "kyiv-independent-2024-01-21.txt"


def test_the_parser_loads_without_django_models_or_a_database():
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, newsroom.capture.parse; "
            "print(' '.join(m for m in sys.modules "
            "if m.split('.')[0] in ('articles', 'feed', 'django')))",
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )

    assert found.stdout.strip() == ""


@pytest.mark.parametrize(
    ("written", "month"),
    [("january", 1), ("FEBRUARY", 2), ("March", 3), ("aPRIL", 4), ("May", 5), ("June", 6)]
    + [("July", 7), ("august", 8), ("September", 9), ("October", 10), ("November", 11)]
    + [("December", 12)],
)
def test_byline_months_are_read_in_english_in_any_case(written, month):
    text = SAMPLE.read_text(encoding="utf-8").replace("January 21", f"{written} 21", 1)

    page = parse.parse_page(text, KYIV)

    assert page.article.published_at == datetime(2024, month, 21, 7, 14, tzinfo=KYIV)


@hypothesis_settings(max_examples=300, deadline=None)
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_random_bytes_only_ever_end_in_a_page_error(data):
    try:
        parse.parse_page(data, KYIV)
    except parse.PageError as error:
        assert error.line >= 1
        assert error.message


def test_feed_times_run_back_from_the_publication_time_across_midnight():
    start = datetime(2024, 1, 21, 7, 14, tzinfo=KYIV)

    times = []
    for clock in (time(7, 14), time(3, 43), time(13, 52), time(3, 35), time(3, 35)):
        start = parse.infer_time(clock, start)
        times.append(start)

    assert times == [
        datetime(2024, 1, 21, 7, 14, tzinfo=KYIV),
        datetime(2024, 1, 21, 3, 43, tzinfo=KYIV),
        datetime(2024, 1, 20, 13, 52, tzinfo=KYIV),
        datetime(2024, 1, 20, 3, 35, tzinfo=KYIV),
        datetime(2024, 1, 20, 3, 35, tzinfo=KYIV),
    ]
    assert times[0] - times[-1] < timedelta(days=2)


@pytest.mark.parametrize(
    ("clock", "published_at"),
    [
        ("12:00 AM", time(0, 0)),
        ("1:00 AM", time(1, 0)),
        ("12:59 PM", time(12, 59)),
        ("11:59 PM", time(23, 59)),
    ],
)
def test_byline_times_run_from_12_am_to_11_59_pm(clock, published_at):
    text = SAMPLE.read_text(encoding="utf-8").replace("7:14 AM 2 min", f"{clock} 2 min", 1)

    page = parse.parse_page(text, KYIV)

    assert page.article.published_at == datetime.combine(page.capture_date, published_at, KYIV)


@pytest.mark.parametrize(
    ("line", "publisher", "author"),
    [
        ("The Kyiv IndependentElsa Court", "The Kyiv Independent", "Elsa Court"),
        ("openDemocracyAnna Smith", "openDemocracy", "Anna Smith"),
        ("openDemocracy", "openDemocracy", ""),
        ("ReutersOlena MacDonald", "Reuters", "Olena MacDonald"),
        ("Reuters", "Reuters", ""),
    ],
)
def test_a_card_line_is_split_after_any_known_publisher_else_where_a_name_begins(
    line, publisher, author
):
    known = ("The Kyiv Independent", "openDemocracy")

    assert parse.split_publisher(line, known) == (publisher, author)


def test_a_parsed_page_cannot_be_changed_afterwards():
    page = parse.parse_page(SAMPLE.read_bytes(), KYIV)
    card = page.article.blocks[-1]

    for data, name in [
        (page, "digest"),
        (page.article, "headline"),
        (page.article.authors[0], "name"),
        (card, "author"),
        (page.feed_items[0], "section"),
    ]:
        with pytest.raises(FrozenInstanceError):
            setattr(data, name, "changed")


def test_blank_lines_move_the_feed_items_but_the_page_parses_to_the_same_data():
    text = SAMPLE.read_text(encoding="utf-8")
    spaced = text.replace("\nNews Feed\n", "\n\n\nNews Feed\n", 1) + "\n\n"

    page, spaced_page = parse.parse_page(text, KYIV), parse.parse_page(spaced, KYIV)

    assert [item.line for item in spaced_page.feed_items] == [
        item.line + 2 for item in page.feed_items
    ]
    assert spaced_page.digest != page.digest
    assert spaced_page == page
