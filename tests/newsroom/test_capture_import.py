import io
import sys
from datetime import datetime, timedelta
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from articles import rendering, revisions
from articles.models import Article, ArticleAuthor, Author, Section, Status
from feed.models import FeedItem
from newsroom.capture import apply
from newsroom.models import AuditEntry

KYIV = ZoneInfo("Europe/Kyiv")
SAMPLE = Path(settings.BASE_DIR) / "samples" / "kyiv-independent-2024-01-21.txt"
PAGES = Path(__file__).parent / "pages"


def import_text(*paths, **options):
    call_command("import_text", *map(str, paths), verbosity=0, **options)


def two_captures(folder, page, old, new):
    """Paths of two captures of `page` in `folder`, the second with `old` changed to `new`."""
    first, second = folder / "a.txt", folder / "b.txt"
    first.write_text(page)
    second.write_text(page.replace(old, new))
    return first, second


def counts():
    return (
        tuple(model.objects.count() for model in (Article, Author, Section, FeedItem))
        + tuple(Article.objects.values_list("updated_at", flat=True))
        + tuple(FeedItem.objects.values_list("updated_at", flat=True))
    )


@pytest.mark.django_db
def test_sample_page_imports_the_article_with_every_field():
    import_text(SAMPLE)

    article = Article.objects.for_detail().get()
    assert article.headline == "Media: Putin preparing to visit North Korea"
    assert article.status == Status.PUBLISHED
    assert article.published_at == datetime(2024, 1, 21, 7, 14, tzinfo=KYIV)
    assert article.audio_ai_generated is True
    assert [(a.name, a.kind) for a in article.ordered_authors] == [
        ("Rachel Amran", Author.Kind.PERSON),
        ("The Kyiv Independent news desk", Author.Kind.DESK),
    ]
    assert article.reading_time == 2
    assert article.body.startswith("Russian dictator Vladimir Putin announced")


@pytest.mark.django_db
def test_sample_card_keeps_its_fields_and_its_place_at_the_end_of_the_body():
    import_text(SAMPLE)

    blocks = rendering.parse_blocks(Article.objects.get().body)
    assert [type(block).__name__ for block in blocks] == ["Text", "Card"]
    card = blocks[-1]
    assert (
        card.title == "Military intelligence: North Korea supplying 122 mm, 152 mm shells to Russia"
    )
    assert card.excerpt.startswith("North Korea has supplied Russia with around one million")
    assert card.excerpt.endswith("said in an interview with RBC Ukraine on Jan. 15.")
    assert card.publisher == "The Kyiv Independent"
    assert card.author == "Elsa Court"
    assert blocks[0].markdown.endswith("ballistic missiles in attacks on the country.")


@pytest.mark.django_db
def test_sample_feed_items_get_inferred_dates_sections_and_the_article_link():
    import_text(SAMPLE)

    article = Article.objects.get()
    items = [
        (
            item.published_at,
            item.section.name if item.section else None,
            item.article,
            item.headline,
        )
        for item in FeedItem.objects.select_related("section", "article").order_by("-published_at")
    ]
    assert items == [
        (
            datetime(2024, 1, 21, 7, 14, tzinfo=KYIV),
            None,
            article,
            "Media: Putin preparing to visit North Korea.",
        ),
        (
            datetime(2024, 1, 21, 3, 43, tzinfo=KYIV),
            None,
            None,
            "Russian seaport terminal on fire.",
        ),
        (
            datetime(2024, 1, 20, 13, 52, tzinfo=KYIV),
            "Ukraine news",
            None,
            "Romanian protesters end blockade, Ukraine’s border guard service says.",
        ),
        (
            datetime(2024, 1, 20, 3, 35, tzinfo=KYIV),
            "Ukraine news",
            None,
            "Zelensky invites Trump to Ukraine.",
        ),
    ]


@pytest.mark.django_db
def test_importing_the_same_page_twice_changes_nothing():
    import_text(SAMPLE)
    before = counts()

    import_text(SAMPLE)

    assert counts() == before


@pytest.mark.django_db
def test_existing_authors_and_sections_are_reused_by_name():
    desk = Author.objects.create(name="The Kyiv Independent news desk", kind=Author.Kind.DESK)
    section = Section.objects.create(name="Ukraine news")

    import_text(SAMPLE)

    assert Article.objects.get().ordered_authors[1] == desk
    assert FeedItem.objects.filter(section=section).count() == 2
    assert Author.objects.count() == 2


@pytest.mark.django_db
def test_a_bad_page_reports_file_and_line_and_exits_with_status_1(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text(" date 2024-01-21 Skip to content\nHeadline\n\nno byline here\n")

    with pytest.raises(CommandError) as raised:
        call_command("import_text", str(bad), str(SAMPLE), verbosity=1)

    assert raised.value.returncode == 1
    assert f"{bad}:4: expected a byline" in capsys.readouterr().err
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_standard_input_is_read_when_the_path_is_a_dash():
    import_text("-", stdin=BytesIO(SAMPLE.read_bytes()))

    assert Article.objects.get().headline == "Media: Putin preparing to visit North Korea"


def import_failure(*paths, capsys):
    """Run the command expecting failure; return its standard error."""
    with pytest.raises(CommandError) as raised:
        call_command("import_text", *map(str, paths), verbosity=1)
    assert raised.value.returncode == 1
    return capsys.readouterr().err


SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
HEADLINE = "Media: Putin preparing to visit North Korea"
BYLINE_AT_THE_END = (
    "expected a byline 'by <authors> <Month D, YYYY> <H:MM AM|PM> <N> min read' "
    "after the headline; the file ends\n"
)


def of_length(length):
    """Words of exactly `length` characters, as an over-long name or headline would be."""
    return ("Lviv " * length)[: length - 1] + "."


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "line", "expected"),
    [
        (b"", 1, "the file is empty"),
        (b"\n  \n\t\n", 1, "the file is empty"),
        (
            SAMPLE_TEXT.encode().replace(b"Putin preparing", b"Putin pr\xe9paring", 1),
            2,
            "byte 49 is not UTF-8 text; expected a UTF-8 text file",
        ),
        (SAMPLE_TEXT.encode("utf-16"), 1, "byte 1 is not UTF-8 text"),
        (
            (PAGES / "leap-day-bom-crlf.txt")
            .read_bytes()
            .replace(b"Trams ran on time,", b"\x93Trams ran on time,\x94", 1),
            8,
            "byte 190 is not UTF-8 text",
        ),
        (b" date 2024-01-21 Skip to content\n", 1, "expected the headline after the date line"),
        (
            SAMPLE_TEXT.replace("Media: Putin preparing to visit North Korea\n\n", "", 1).encode(),
            2,
            "expected the headline before the byline",
        ),
        (
            SAMPLE_TEXT.replace("by Rachel Amran", "Rachel Amran", 1).encode(),
            4,
            "expected a byline 'by <authors> <Month D, YYYY> <H:MM AM|PM> <N> min read'",
        ),
        (
            SAMPLE_TEXT.replace("January 21, 2024", "February 30, 2024", 1).encode(),
            4,
            "February 30, 2024 is not a real date",
        ),
        (
            SAMPLE_TEXT.replace("January 21", "Janvier 21", 1).encode(),
            4,
            "'Janvier' is not a month",
        ),
        (
            SAMPLE_TEXT.replace("2024-01-21", "2024-13-01", 1).encode(),
            1,
            "2024-13-01 is not a real date; expected YYYY-MM-DD",
        ),
        (
            SAMPLE_TEXT.replace("2024-01-21", "21.01.2024", 1).encode(),
            1,
            "expected the capture date as YYYY-MM-DD, got '21.01.2024'",
        ),
        (
            SAMPLE_TEXT.replace("2024 7:14 AM", "2024 13:14 PM", 1).encode(),
            4,
            "13:14 PM is not a real time",
        ),
        (
            SAMPLE_TEXT.replace("\n3:43 AM\n", "\n3:63 AM\n", 1).encode(),
            32,
            "3:63 AM is not a real time; expected H:MM AM or PM",
        ),
        (
            (SAMPLE_TEXT + "9:00 PM\n").encode(),
            len(SAMPLE_TEXT.splitlines()) + 1,
            "the feed time 9:00 PM has no headline after it",
        ),
        (
            SAMPLE_TEXT.replace("\n3:43 AM\n", "\n3:50 AM\n3:43 AM\n", 1).encode(),
            32,
            "the feed time 3:50 AM has no headline after it",
        ),
        (
            SAMPLE_TEXT.replace("Authors: Rachel Amran, ", "Authors: Elsa Court, ", 1).encode(),
            22,
            "the Authors: line lists 'Elsa Court, The Kyiv Independent news desk' but the byline "
            "has 'Rachel Amran, The Kyiv Independent news desk'; "
            "expected the same names in the same order",
        ),
        (
            SAMPLE_TEXT.replace("Authors: Rachel Amran", "Rachel Amran", 1).encode(),
            48,
            "expected an 'Authors: <names>' line",
        ),
        (
            SAMPLE_TEXT.replace("Ukraine news\n\n1:52 PM", "Ukraine news\n\nMore news", 1).encode(),
            39,
            "expected a feed time like 7:14 AM after the section header 'Ukraine news'",
        ),
        (
            SAMPLE_TEXT.replace("Putin also", "Putin\x00also", 1).encode(),
            9,
            "character 6 of the line is the invisible control character U+0000",
        ),
        (
            SAMPLE_TEXT.replace("Putin also", "Putin\uffffalso", 1).encode(),
            9,
            "character 6 of the line is the invisible control character U+FFFF",
        ),
        (
            SAMPLE_TEXT.replace("Media: Putin", "Media:\x85Putin", 1).encode(),
            2,
            "character 7 of the headline is the invisible control character U+0085; "
            "expected one line of plain text",
        ),
        (
            SAMPLE_TEXT.replace("by Rachel Amran", "by Rachel\u2028Amran", 1).encode(),
            4,
            "character 10 of the byline is the invisible control character U+2028",
        ),
        (
            SAMPLE_TEXT.replace("Military intelligence:", "Military\x85intelligence:", 1).encode(),
            19,
            "character 9 of the card's title is the invisible control character U+0085",
        ),
        (
            SAMPLE_TEXT.replace("Russian seaport", "Russian\u2028seaport", 1).encode(),
            34,
            "character 8 of the feed headline is the invisible control character U+2028",
        ),
        (
            SAMPLE_TEXT.replace("Ukraine news\n", "Ukraine\x85news\n", 1).encode(),
            37,
            "character 8 of the section name is the invisible control character U+0085",
        ),
        (
            SAMPLE_TEXT.replace("January 21, 2024", "December 31, 9999", 1).encode(),
            4,
            "9999-12-31 is out of range; expected a year from 1000 to 9998",
        ),
        (
            SAMPLE_TEXT.replace("January 21, 2024", "January 1, 0001", 1).encode(),
            4,
            "0001-01-01 is out of range",
        ),
        (
            SAMPLE_TEXT.replace("date 2024-01-21", "date 0001-01-01", 1).encode(),
            1,
            "0001-01-01 is out of range",
        ),
        (
            SAMPLE_TEXT.replace("January 21, 2024", "December 31, 0999", 1).encode(),
            4,
            "0999-12-31 is out of range; expected a year from 1000 to 9998",
        ),
        (
            SAMPLE_TEXT.replace("date 2024-01-21", "date 9999-01-01", 1).encode(),
            1,
            "9999-01-01 is out of range; expected a year from 1000 to 9998",
        ),
        (
            SAMPLE_TEXT.replace("2024 7:14 AM", "2024 0:14 AM", 1).encode(),
            4,
            "0:14 AM is not a real time; expected H:MM AM or PM",
        ),
        (
            SAMPLE_TEXT.replace("2024 7:14 AM", "2024 7:60 AM", 1).encode(),
            4,
            "7:60 AM is not a real time; expected H:MM AM or PM",
        ),
        (
            SAMPLE_TEXT.replace("\n1:52 PM\n", "\n1:62 PM\n", 1).encode(),
            39,
            "1:62 PM is not a real time; expected H:MM AM or PM",
        ),
        (
            SAMPLE_TEXT.replace("Ukraine news\n\n1:52 PM\n\n", "", 1).encode(),
            39,
            "expected a feed time like 7:14 AM after the section header "
            "'Romanian protesters end blockade, Ukraine’s border guard ser'\n",
        ),
        (
            SAMPLE_TEXT[SAMPLE_TEXT.index("by Rachel") :].encode(),
            1,
            "expected ' date YYYY-MM-DD Skip to content', "
            "got 'by Rachel Amran and The Kyiv Independent news desk January 2'\n",
        ),
        (
            SAMPLE_TEXT.replace("date 2024-01-21", "date 2024-01-21T07:14:00+02:00", 1).encode(),
            1,
            "expected the capture date as YYYY-MM-DD, got '2024-01-21T07:14:00+'\n",
        ),
        (
            SAMPLE_TEXT.replace("7:14 AM 2 min read", "7:14 AM two min read", 1).encode(),
            4,
            "expected a byline 'by <authors> <Month D, YYYY> <H:MM AM|PM> <N> min read', "
            "got 'by Rachel Amran and The Kyiv Independent news desk January 2'\n",
        ),
        (b" date 2024-01-21 Skip to content\nHeadline", 2, BYLINE_AT_THE_END),
        (b" date 2024-01-21 Skip to content\nHeadline\n", 2, BYLINE_AT_THE_END),
        (b" date 2024-01-21 Skip to content\nHeadline\n\n", 3, BYLINE_AT_THE_END),
        (
            SAMPLE_TEXT.replace(HEADLINE, of_length(301), 1).encode(),
            2,
            "the headline is 301 characters; expected at most 300\n",
        ),
        (
            SAMPLE_TEXT.replace("Rachel Amran", of_length(201)).encode(),
            4,
            "the author name is 201 characters; expected at most 200\n",
        ),
        (
            SAMPLE_TEXT.replace("Ukraine news\n", of_length(101) + "\n", 1).encode(),
            37,
            "the section name is 101 characters; expected at most 100\n",
        ),
        (
            SAMPLE_TEXT.replace("Russian seaport terminal on fire.", of_length(301), 1).encode(),
            34,
            "the feed headline is 301 characters; expected at most 300\n",
        ),
    ],
    ids=[
        "empty",
        "blank",
        "not-utf8",
        "utf16",
        "windows-quote-after-byte-order-mark",
        "no-headline-or-byline",
        "no-headline",
        "no-byline",
        "impossible-date",
        "unknown-month",
        "impossible-capture-date",
        "capture-date-shape",
        "impossible-time",
        "impossible-feed-time",
        "feed-time-at-end",
        "feed-time-then-time",
        "authors-disagree",
        "no-authors-line",
        "section-without-time",
        "nul-byte",
        "uffff-in-body",
        "c1-control-in-headline",
        "line-separator-in-byline",
        "c1-control-in-card-title",
        "line-separator-in-feed-headline",
        "c1-control-in-section-name",
        "year-9999",
        "year-1",
        "capture-year-1",
        "year-999",
        "capture-year-9999",
        "hour-0",
        "minute-60",
        "impossible-time-after-section",
        "feed-item-without-its-time",
        "no-date-line",
        "capture-date-with-a-time",
        "minutes-in-words",
        "headline-at-the-end",
        "headline-and-line-end-at-the-end",
        "headline-and-blank-line-at-the-end",
        "headline-too-long",
        "author-name-too-long",
        "section-name-too-long",
        "feed-headline-too-long",
    ],
)
def test_bad_page_names_file_line_and_expectation_and_writes_nothing(
    tmp_path, capsys, content, line, expected
):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)

    error = import_failure(bad, SAMPLE, capsys=capsys)

    assert f"{bad}:{line}: {expected}" in error
    assert "Traceback" not in error
    assert Article.objects.count() == 1  # the good file of the run still imports
    assert FeedItem.objects.count() == 4


@pytest.mark.django_db
def test_failed_page_leaves_no_authors_or_sections_behind(tmp_path, capsys):
    bad = tmp_path / "bad.txt"
    bad.write_text(SAMPLE_TEXT + "9:00 PM\n")

    import_failure(bad, capsys=capsys)

    assert (Article.objects.count(), Author.objects.count(), Section.objects.count()) == (0, 0, 0)
    assert FeedItem.objects.count() == 0


@pytest.mark.django_db
def test_a_failed_page_does_not_poison_the_authors_remembered_for_the_next(tmp_path, capsys):
    bad = tmp_path / "a-bad.txt"
    bad.write_text(SAMPLE_TEXT + "9:00 PM\n")
    good = tmp_path / "b-good.txt"
    good.write_text(SAMPLE_TEXT)

    import_failure(bad, good, capsys=capsys)

    assert [a.name for a in Article.objects.get().ordered_authors] == [
        "Rachel Amran",
        "The Kyiv Independent news desk",
    ]


@pytest.mark.django_db
def test_utf8_byte_order_mark_and_crlf_line_ends_import_like_the_plain_sample(tmp_path):
    crlf = tmp_path / "windows.txt"
    crlf.write_bytes(b"\xef\xbb\xbf" + SAMPLE_TEXT.replace("\n", "\r\n").encode())
    import_text(SAMPLE)
    before = counts()

    import_text(crlf)

    assert counts() == before


@pytest.mark.django_db
def test_changed_page_updates_the_article_in_place(tmp_path):
    import_text(SAMPLE)
    article = Article.objects.get()
    changed = tmp_path / "changed.txt"
    changed.write_text(
        SAMPLE_TEXT.replace("Putin also reportedly", "Putin reportedly", 1)
        .replace("This audio is created with AI assistance\n", "")
        .replace("Rachel Amran and The", "The", 1)
        .replace("Authors: Rachel Amran, The", "Authors: The", 1)
    )

    import_text(changed)

    updated = Article.objects.for_detail().get()
    assert updated.pk == article.pk
    assert "\n\nPutin reportedly thanked" in updated.body
    assert updated.audio_ai_generated is False
    assert [a.name for a in updated.ordered_authors] == ["The Kyiv Independent news desk"]
    assert FeedItem.objects.count() == 4


@pytest.mark.django_db
def test_feed_items_seen_in_several_captures_are_imported_once():
    import_text(SAMPLE, PAGES / "later-capture-same-day.txt")

    headlines = list(FeedItem.objects.order_by("-published_at").values_list("headline", flat=True))
    assert headlines == [
        "Ukraine receives first batch of promised air defence systems.",
        "Media: Putin preparing to visit North Korea.",
        "Russian seaport terminal on fire.",
        "Romanian protesters end blockade, Ukraine’s border guard service says.",
        "Zelensky invites Trump to Ukraine.",
    ]
    assert Article.objects.count() == 2


@pytest.mark.django_db
def test_hand_written_page_with_a_card_mid_body_and_three_authors():
    import_text(PAGES / "later-capture-same-day.txt")

    article = Article.objects.for_detail().get()
    assert article.published_at == datetime(2024, 1, 21, 12, 5, tzinfo=KYIV)
    assert article.audio_ai_generated is False
    assert [(a.name, a.kind) for a in article.ordered_authors] == [
        ("Elsa Court", Author.Kind.PERSON),
        ("Mariia Kovalenko", Author.Kind.PERSON),
        ("The Kyiv Independent news desk", Author.Kind.DESK),
    ]
    blocks = rendering.parse_blocks(article.body)
    assert [type(block).__name__ for block in blocks] == ["Text", "Card", "Text"]
    assert blocks[2].markdown == (
        "The ministry did not say how many systems arrived or where they would be deployed."
    )
    linked = FeedItem.objects.get(article=article)
    assert linked.published_at == article.published_at
    assert FeedItem.objects.get(headline__startswith="Romanian").published_at == datetime(
        2024, 1, 20, 13, 52, tzinfo=KYIV
    )


@pytest.mark.django_db
def test_page_without_an_article_dates_its_feed_back_from_the_end_of_the_capture_day(capsys):
    call_command("import_text", str(PAGES / "feed-only-page.txt"), verbosity=1)

    assert "Files: 1 imported, 0 updated" in capsys.readouterr().out

    assert Article.objects.count() == 0
    items = [
        (item.published_at, item.section.name if item.section else None)
        for item in FeedItem.objects.select_related("section").order_by("-published_at")
    ]
    assert items == [
        (datetime(2024, 3, 10, 23, 40, tzinfo=KYIV), None),
        (datetime(2024, 3, 9, 23, 55, tzinfo=KYIV), "Business"),
        (datetime(2024, 3, 9, 8, 0, tzinfo=KYIV), "Business"),
    ]


@pytest.mark.django_db
def test_hand_written_windows_page_with_byte_order_mark_imports_on_a_leap_day():
    import_text(PAGES / "leap-day-bom-crlf.txt")

    article = Article.objects.get()
    assert article.headline == "Leap day brings snow to Lviv"
    assert article.published_at == datetime(2024, 2, 29, 0, 30, tzinfo=KYIV)
    assert article.body == (
        "Lviv woke up to ten centimetres of snow on the leap day.\n\n"
        "Trams ran on time, the city council said."
    )
    assert Author.objects.get().name == "Olena Marchenko"
    assert FeedItem.objects.get(article=article).headline == "Leap day brings snow to Lviv"
    assert FeedItem.objects.get(article=None).published_at == datetime(
        2024, 2, 28, 23, 50, tzinfo=KYIV
    )


@pytest.mark.django_db
def test_folder_import_reads_every_txt_file_below_it_and_nothing_else(tmp_path):
    nested = tmp_path / "2024" / "01"
    nested.mkdir(parents=True)
    (nested / "sample.txt").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "feed.txt").write_bytes((PAGES / "feed-only-page.txt").read_bytes())
    (tmp_path / "notes.md").write_text("not a page")

    import_text(tmp_path)

    assert Article.objects.count() == 1
    assert FeedItem.objects.count() == 7


@pytest.mark.django_db
def test_a_folder_import_writes_the_search_index_once_for_the_good_pages(
    tmp_path, capsys, monkeypatch
):
    from search import index
    from search.models import Entry

    written = []
    refresh = index.refresh_articles
    monkeypatch.setattr(index, "refresh_articles", lambda pks: written.append(pks) or refresh(pks))
    (tmp_path / "a-sample.txt").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "b-bad.txt").write_text(
        SAMPLE_TEXT.replace("Media: Putin", "Media: Kim") + "9:00 PM\n"
    )
    (tmp_path / "c-leap-day.txt").write_bytes((PAGES / "leap-day-bom-crlf.txt").read_bytes())

    import_failure(tmp_path, capsys=capsys)

    articles = sorted(Article.objects.values_list("pk", flat=True))
    assert len(articles) == 2
    assert written == [articles]
    assert (
        sorted(Entry.objects.filter(article__isnull=False).values_list("article", flat=True))
        == articles
    )


@pytest.mark.django_db
def test_an_imported_article_dated_a_little_ahead_reaches_cached_pages_at_its_time(
    client, time_machine, django_capture_on_commit_callbacks
):
    from tests.factories import ArticleFactory

    goes_out = datetime(2024, 1, 21, 7, 14, tzinfo=KYIV)
    time_machine.move_to(goes_out - timedelta(minutes=2), tick=False)
    ArticleFactory(headline="Morning briefing")
    assert "Morning briefing" in client.get("/").content.decode()  # the home page is cached

    with django_capture_on_commit_callbacks(execute=True):
        import_text(SAMPLE)
    assert "Putin preparing" not in client.get("/").content.decode()
    time_machine.move_to(goes_out + timedelta(minutes=1), tick=False)

    assert "Putin preparing" in client.get("/").content.decode()


@pytest.mark.django_db
def test_dry_run_says_what_it_would_do_and_writes_nothing(capsys):
    call_command("import_text", str(SAMPLE), "--dry-run", verbosity=1)

    out = capsys.readouterr().out
    assert "article would be created: Media: Putin preparing to visit North Korea" in out
    assert "author would be created: The Kyiv Independent news desk" in out
    assert "Would create: 1 articles, 2 authors, 1 sections, 4 feed items." in out
    assert (Article.objects.count(), Author.objects.count(), FeedItem.objects.count()) == (0, 0, 0)


@pytest.mark.django_db
def test_dry_run_after_an_import_finds_nothing_to_change(capsys):
    import_text(SAMPLE)

    call_command("import_text", str(SAMPLE), "--dry-run", verbosity=1)

    assert "Files: 0 imported, 0 updated, 1 unchanged, 0 failed." in capsys.readouterr().out


@pytest.mark.django_db
def test_status_draft_imports_for_review_without_publishing():
    import_text(SAMPLE, status="draft")

    assert Article.objects.get().status == Status.DRAFT
    assert not Article.objects.published().exists()
    assert not FeedItem.objects.published().exists()


@pytest.mark.django_db
def test_verbosity_2_lists_every_item_and_the_summary_counts(capsys):
    call_command("import_text", str(SAMPLE), verbosity=2)

    out = capsys.readouterr().out
    assert "feed item created: 2024-01-20 13:52 Romanian protesters end blockade" in out
    assert "section created: Ukraine news" in out
    assert (
        "Files: 1 imported, 0 updated, 0 unchanged, 0 failed. "
        "Created: 1 articles, 2 authors, 1 sections, 4 feed items."
    ) in out


@pytest.mark.django_db
def test_a_missing_file_is_a_clear_error(tmp_path, capsys):
    error = import_failure(tmp_path / "nope.txt", capsys=capsys)

    assert f"{tmp_path / 'nope.txt'}: cannot be read: No such file or directory" in error


@pytest.mark.django_db
def test_imported_sample_page_shows_two_minute_reading_time(client):
    import_text(SAMPLE)

    response = client.get(Article.objects.get().get_absolute_url())

    assert "2 min read" in response.content.decode()


@pytest.mark.django_db
def test_a_page_imported_before_is_skipped_in_one_lookup(django_assert_max_num_queries):
    import_text(SAMPLE)

    # The lookup, inside the page's savepoint inside the batch's.
    with django_assert_max_num_queries(5) as queries:
        outcome = apply.Importer().import_page("again", SAMPLE.read_bytes())

    assert outcome.state == "unchanged"
    lookups = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"].upper()]
    assert len(lookups) == 1 and lookups[0].startswith("SELECT")


@pytest.mark.django_db
def test_a_page_imported_as_draft_is_published_when_imported_again_without_it():
    import_text(SAMPLE, status="draft")

    import_text(SAMPLE)

    assert Article.objects.published().count() == 1
    assert FeedItem.objects.published().count() == 4
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.user, entry.note) == ("published", None, f"Imported from {SAMPLE}")


@pytest.mark.django_db
def test_importing_for_review_leaves_a_published_article_published():
    import_text(SAMPLE)

    import_text(SAMPLE, status="draft")

    assert Article.objects.get().status == Status.PUBLISHED
    assert not AuditEntry.objects.exists()


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.django_db
def test_progress_bar_goes_to_standard_error_when_it_is_a_terminal(tmp_path, monkeypatch):
    for number in range(3):
        (tmp_path / f"page-{number}.txt").write_text(
            SAMPLE_TEXT.replace("Putin preparing", f"Putin preparing {number}")
        )
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)

    call_command("import_text", str(tmp_path), verbosity=1, stdout=io.StringIO())

    assert "3/3" in terminal.getvalue()
    assert Article.objects.count() == 3


@pytest.mark.django_db
def test_feed_item_met_first_in_a_later_capture_is_linked_when_its_article_comes():
    import_text(PAGES / "later-capture-same-day.txt")

    import_text(SAMPLE)

    item = FeedItem.objects.get(headline="Media: Putin preparing to visit North Korea.")
    assert item.article == Article.objects.get(headline=item.headline.rstrip("."))
    assert FeedItem.objects.count() == 5


@pytest.mark.django_db
def test_feed_item_in_the_hour_skipped_by_daylight_saving_is_still_imported_once(tmp_path):
    page = (
        " date 2024-03-31 Skip to content\nMost popular\n\nNews Feed\n\n"
        "3:20 AM\n\nClocks went forward overnight.\n\nAn hour of sleep was lost.\n"
    )
    first, second = two_captures(tmp_path, page, "An hour of sleep was lost.", "Summary, edited.")

    import_text(first, second)

    assert FeedItem.objects.get().summary == "Summary, edited."


@pytest.mark.django_db
def test_imported_feed_items_keep_their_summary_as_html_as_saved_items_do():
    import_text(SAMPLE)

    items = FeedItem.objects.exclude(summary="")
    assert items.count() == 4
    for item in items:
        assert item.summary_rendered == rendering.markdown_to_html(item.summary) != ""


@pytest.mark.django_db
def test_a_summary_a_later_import_edits_is_what_readers_read(client, tmp_path):
    page = (
        " date 2024-01-21 Skip to content\nMost popular\n\nNews Feed\n\n"
        "9:20 AM\n\nBridge reopens in Kyiv.\n\nTraffic is moving again.\n"
    )
    first, second = two_captures(
        tmp_path, page, "Traffic is moving again.", "Traffic moves on two lanes."
    )
    import_text(first)
    FeedItem.objects.get().save()  # an editor's touch in the admin
    cache.clear()

    import_text(second)

    feed_page = client.get("/feed/").content.decode()
    assert "Traffic moves on two lanes." in feed_page
    assert "Traffic is moving again." not in feed_page


@pytest.mark.django_db
def test_article_published_in_the_hour_skipped_by_daylight_saving_is_unchanged_on_reimport(
    tmp_path,
):
    page = tmp_path / "gap.txt"
    page.write_text(
        SAMPLE_TEXT.replace("2024-01-21", "2024-03-31")
        .replace("January 21, 2024 7:14 AM", "March 31, 2024 3:14 AM")
        .split("Most popular")[0]
    )
    import_text(page)
    edited = tmp_path / "gap-edited.txt"
    edited.write_text(page.read_text().replace("by Rachel", "by  Rachel"))  # another digest

    outcome = apply.Importer().import_page("edited", edited.read_bytes())

    assert outcome.state == "unchanged"


@pytest.mark.django_db
def test_imported_sample_does_not_say_updated_until_it_is_edited(client):
    import_text(SAMPLE)
    article = Article.objects.get()
    assert "Updated" not in client.get(article.get_absolute_url()).content.decode()

    article.body += "\n\nA correction."
    article.save()
    cache.clear()
    assert "Updated" in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_an_import_that_changes_an_article_keeps_a_revision_with_its_authors(tmp_path):
    import_text(SAMPLE)
    article = Article.objects.get()
    assert not Version.objects.get_for_object(article).exists()
    changed = tmp_path / "changed.txt"
    changed.write_text(SAMPLE_TEXT.replace("Putin also reportedly", "Putin reportedly", 1))

    import_text(changed)

    version = Version.objects.get_for_object(article).get()
    assert version.revision.comment == f"Imported from {changed}."
    snapshot = revisions.snapshot_of_version(version)
    assert "Putin reportedly thanked" in snapshot.body
    assert snapshot.authors == ["Rachel Amran", "The Kyiv Independent news desk"]


@pytest.mark.django_db
def test_importing_for_review_never_takes_down_a_feed_item_readers_see(tmp_path):
    import_text(SAMPLE)
    later = tmp_path / "later.txt"
    later.write_text(
        SAMPLE_TEXT.replace(
            "Media: Putin preparing to visit North Korea\n", "Another story\n", 1
        ).replace("7:14 AM 2 min read", "10:20 AM 2 min read", 1)
    )
    import_text(later, status="draft")
    assert Article.objects.get(headline="Another story").status == Status.DRAFT
    assert FeedItem.objects.filter(status=FeedItem.Status.DRAFT).count() == 0


@pytest.mark.django_db
def test_an_import_tells_cached_pages_and_open_feed_pages(django_capture_on_commit_callbacks):
    from newsroom import freshness

    pages, feed = freshness.PAGES.current(), freshness.FEED.current()
    with django_capture_on_commit_callbacks(execute=True):
        import_text(SAMPLE)
    assert freshness.PAGES.current() != pages and freshness.FEED.current() != feed
    pages, feed = freshness.PAGES.current(), freshness.FEED.current()
    with django_capture_on_commit_callbacks(execute=True):
        import_text(SAMPLE)
    assert (freshness.PAGES.current(), freshness.FEED.current()) == (pages, feed)


@pytest.mark.django_db
def test_headline_author_section_and_feed_headline_at_their_longest_import_whole(tmp_path):
    page = tmp_path / "longest.txt"
    page.write_text(
        SAMPLE_TEXT.replace(HEADLINE, of_length(300), 1)
        .replace("Rachel Amran", of_length(200))
        .replace("Ukraine news\n", of_length(100) + "\n", 1)
        .replace("Russian seaport terminal on fire.", of_length(300), 1)
    )

    import_text(page)

    article = Article.objects.for_detail().get()
    assert article.headline == of_length(300)
    assert article.ordered_authors[0].name == of_length(200)
    assert Section.objects.get().name == of_length(100)
    assert FeedItem.objects.filter(headline=of_length(300)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("byline_date", "published_at"),
    [
        ("January 1, 1000", datetime(1000, 1, 1, 7, 14, tzinfo=KYIV)),
        ("December 31, 9998", datetime(9998, 12, 31, 7, 14, tzinfo=KYIV)),
    ],
)
def test_articles_of_the_first_and_last_years_import(tmp_path, byline_date, published_at):
    page = tmp_path / "page.txt"
    page.write_text(SAMPLE_TEXT.replace("January 21, 2024", byline_date, 1))

    import_text(page)

    assert Article.objects.get().published_at == published_at


@pytest.mark.django_db
def test_a_headline_that_starts_with_by_but_is_no_byline_imports(tmp_path):
    page = tmp_path / "page.txt"
    page.write_text(SAMPLE_TEXT.replace(HEADLINE, "by the numbers: two years of war", 1))

    import_text(page)

    assert Article.objects.get().headline == "by the numbers: two years of war"


@pytest.mark.django_db
def test_feed_item_at_11_59_pm_on_a_page_without_article_is_dated_the_capture_day(tmp_path):
    page = tmp_path / "feed.txt"
    page.write_text((PAGES / "feed-only-page.txt").read_text().replace("11:40 PM", "11:59 PM", 1))

    import_text(page)

    assert FeedItem.objects.get(headline__startswith="Night air raid").published_at == (
        datetime(2024, 3, 10, 23, 59, tzinfo=KYIV)
    )


@pytest.mark.django_db
def test_the_last_feed_item_of_a_page_may_have_no_summary(tmp_path):
    page = tmp_path / "feed.txt"
    page.write_text(SAMPLE_TEXT + "3:10 AM\n\nAir raid alert in Kyiv.\n")

    import_text(page)

    item = FeedItem.objects.get(headline="Air raid alert in Kyiv.")
    assert (item.published_at, item.summary) == (datetime(2024, 1, 20, 3, 10, tzinfo=KYIV), "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("line", "publisher", "author"),
    [
        ("openDemocracyAnna Smith", "openDemocracy", "Anna Smith"),
        ("openDemocracy", "openDemocracy", ""),
        ("The Kyiv IndependentElsa Court", "The Kyiv Independent", "Elsa Court"),
    ],
)
def test_a_card_from_the_site_itself_keeps_the_site_name_as_its_publisher(
    tmp_path, settings, line, publisher, author
):
    settings.NEWSROOM = {**settings.NEWSROOM, "SITE_NAME": "openDemocracy"}
    page = tmp_path / "page.txt"
    page.write_text(SAMPLE_TEXT.replace("The Kyiv IndependentElsa Court", line, 1))

    import_text(page)

    card = rendering.parse_blocks(Article.objects.get().body)[-1]
    assert (card.publisher, card.author) == (publisher, author)


def inserts_into(queries, model):
    start = f'INSERT INTO "{model._meta.db_table}"'.upper()
    return [query for query in queries if query["sql"].upper().startswith(start)]


@pytest.mark.django_db
def test_a_batch_writes_its_new_bylines_and_feed_items_in_one_insert_each():
    with CaptureQueriesContext(connection) as captured:
        import_text(SAMPLE, PAGES / "later-capture-same-day.txt")

    assert len(inserts_into(captured.captured_queries, FeedItem)) == 1
    assert len(inserts_into(captured.captured_queries, ArticleAuthor)) == 1
    assert FeedItem.objects.count() == 5
    bylines = {
        article.headline: [author.name for author in article.ordered_authors]
        for article in Article.objects.with_authors()
    }
    assert bylines == {
        HEADLINE: ["Rachel Amran", "The Kyiv Independent news desk"],
        "Ukraine receives first batch of promised air defence systems": [
            "Elsa Court",
            "Mariia Kovalenko",
            "The Kyiv Independent news desk",
        ],
    }


@pytest.mark.django_db
def test_an_article_changed_by_a_later_page_of_the_same_batch_ends_as_the_later_page_says(
    tmp_path,
):
    from search.models import Entry

    first, second = two_captures(
        tmp_path,
        SAMPLE_TEXT,
        "Rachel Amran and The Kyiv Independent news desk",
        "The Kyiv Independent news desk",
    )
    second.write_text(
        second.read_text()
        .replace("Authors: Rachel Amran, The", "Authors: The", 1)
        .replace("President Volodymyr Zelensky has extended", "Volodymyr Zelensky extended", 1)
    )

    import_text(first, second)

    article = Article.objects.for_detail().get()
    assert [a.name for a in article.ordered_authors] == ["The Kyiv Independent news desk"]
    assert snapshot_authors(article) == ["The Kyiv Independent news desk"]
    item = FeedItem.objects.get(headline="Zelensky invites Trump to Ukraine.")
    assert item.summary.startswith("Volodymyr Zelensky extended")
    assert item.summary_rendered == rendering.markdown_to_html(item.summary)
    assert FeedItem.objects.count() == 4
    entry = Entry.objects.get(feed_item=item)
    assert "Volodymyr Zelensky extended" in entry.text
    assert Entry.objects.get(article=article).authors == "The Kyiv Independent news desk"


def snapshot_authors(article):
    """The authors in the revision an import kept of `article` as it changed it."""
    version = Version.objects.get_for_object(article).get()
    return revisions.snapshot_of_version(version).authors


@pytest.mark.django_db
def test_every_feed_item_of_an_import_is_found_in_the_search_index():
    from search.models import Entry

    import_text(SAMPLE, PAGES / "later-capture-same-day.txt")

    items = set(FeedItem.objects.values_list("pk", flat=True))
    assert len(items) == 5
    assert set(Entry.objects.exclude(feed_item=None).values_list("feed_item", flat=True)) == items


@pytest.mark.django_db
def test_a_dry_run_of_pages_sharing_feed_items_writes_nothing(capsys):
    call_command("import_text", str(SAMPLE), str(PAGES / "later-capture-same-day.txt"), "--dry-run")

    assert "Would create: 2 articles" in capsys.readouterr().out
    written = (Article.objects.count(), ArticleAuthor.objects.count(), FeedItem.objects.count())
    assert written == (0, 0, 0)
