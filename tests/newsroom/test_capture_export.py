from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.models import Article, ArticleAuthor, Author, Section
from feed.models import FeedItem
from newsroom.capture import apply, parse
from newsroom.capture.export import export_page
from tests.factories import ArticleFactory, AuthorFactory, FeedItemFactory

KYIV = ZoneInfo("Europe/Kyiv")
SAMPLE = Path(settings.BASE_DIR) / "samples" / "kyiv-independent-2024-01-21.txt"
PAGES = Path(__file__).parent / "pages"


def snapshot():
    """Every row the importer may touch, with every field."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (Article, ArticleAuthor, Author, Section, FeedItem)
    ]


def export(article):
    return export_page(Article.objects.with_authors().get(pk=article.pk))


@pytest.mark.django_db
def test_exporting_the_imported_sample_gives_back_the_sample_byte_for_byte():
    call_command("import_text", str(SAMPLE), verbosity=0)

    assert export(Article.objects.get()) == SAMPLE.read_text(encoding="utf-8")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "page", [SAMPLE, PAGES / "later-capture-same-day.txt", PAGES / "leap-day-bom-crlf.txt"]
)
def test_import_export_import_changes_nothing(page):
    importer = apply.Importer()
    importer.import_page(page.name, page.read_bytes())
    exported = export(Article.objects.get())
    before = snapshot()

    outcome = apply.Importer().import_page("exported", exported)

    assert outcome.state == "unchanged"
    assert snapshot() == before


@pytest.mark.django_db
def test_export_command_writes_one_file_per_article_into_a_folder(tmp_path):
    call_command("import_text", str(SAMPLE), verbosity=0)
    article = Article.objects.get()

    call_command("export_text", "--all", "--output", str(tmp_path), verbosity=0)

    assert (tmp_path / f"{article.slug}.txt").read_text() == SAMPLE.read_text()


@pytest.mark.django_db
def test_export_of_an_unknown_slug_is_a_clear_error():
    with pytest.raises(CommandError, match="No article with the slug nope"):
        call_command("export_text", "nope")


@pytest.mark.django_db
def test_export_of_an_article_written_in_the_admin_can_be_imported_back(capsys):
    article = ArticleFactory(
        headline="Written by hand",
        body="One *short* paragraph.\n\nAnd another one.",
        published_at=datetime(2024, 5, 3, 16, 45, tzinfo=KYIV),
        authors=[AuthorFactory(name="Iryna Bondar")],
    )

    call_command("export_text", article.slug)
    page = capsys.readouterr().out
    outcome = apply.Importer().import_page("page", page)

    assert "by Iryna Bondar May 3, 2024 4:45 PM 1 min read" in page
    assert outcome.article == "unchanged"


@pytest.mark.django_db
def test_exported_byline_and_feed_times_stay_english_when_the_site_speaks_ukrainian():
    names = ("Iryna Bondar", "Elsa Court", "Europe desk")
    article = ArticleFactory(
        headline="Written in Kyiv",
        published_at=datetime(2024, 5, 3, 16, 45, tzinfo=KYIV),
        authors=[AuthorFactory(name=name) for name in names],
    )
    FeedItemFactory(headline="Written in Kyiv.", published_at=article.published_at)

    with translation.override("uk"):
        page = export(article)

    assert "by Iryna Bondar, Elsa Court and Europe desk May 3, 2024 4:45 PM 1 min read" in page
    assert "\n4:45 PM\n" in page


# Property tests: generated pages survive import, export, import; hostile text only ever
# ends in a PageError.

WORDS = st.sampled_from(
    "war peace grain port drone energy Kyiv Odesa Lviv council minister talks winter "
    "shells border farmers trains power reserves bank rate said reported on in the of".split()
)
NAMES = st.sampled_from(
    [
        "Rachel Amran",
        "Elsa Court",
        "Mariia Kovalenko",
        "Andrii Shevchuk",
        "Olena Marchenko",
        "The Kyiv Independent news desk",
        "Europe desk",
    ]
)
PUBLISHERS = st.sampled_from(["The Kyiv Independent", "Reuters", "Ukrainska Pravda"])


def sentence(min_size=2, max_size=14):
    return st.lists(WORDS, min_size=min_size, max_size=max_size).map(
        lambda words: " ".join(words).capitalize() + "."
    )


def clock_text(moment):
    return f"{moment.hour % 12 or 12}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


# Hours from 5 AM keep clear of the night hours when daylight saving time begins or ends.
CLOCKS = st.builds(time, st.integers(5, 23), st.integers(0, 59))

card = st.builds(
    lambda title, excerpt, publisher, author: f"{title}\n{excerpt}\n{publisher}{author}",
    sentence(2, 8),
    sentence(4, 20),
    PUBLISHERS,
    NAMES,
)


@st.composite
def pages(draw):
    capture = draw(st.dates(date(2001, 1, 1), date(2035, 12, 31)))
    headline = draw(sentence(2, 10)).rstrip(".")
    authors = draw(st.lists(NAMES, min_size=1, max_size=3, unique=True))
    published = datetime.combine(capture, draw(CLOCKS))
    names = authors[0] if len(authors) == 1 else f"{', '.join(authors[:-1])} and {authors[-1]}"
    when = f"{published:%B} {published.day}, {published.year} {clock_text(published)}"
    lines = [f" date {capture:%Y-%m-%d} Skip to content", headline, ""]
    lines.append(f"by {names} {when} {draw(st.integers(1, 30))} min read")
    if draw(st.booleans()):
        lines.append(parse.AUDIO_LINE)
    blocks = draw(st.lists(st.one_of(sentence(), card), min_size=1, max_size=6))
    lines += ["", "\n\n".join(blocks), f"Authors: {', '.join(authors)}"]
    lines += ["Most popular", "", "News Feed", ""]
    sections = draw(st.lists(st.sampled_from(["", "Ukraine news", "Business"]), max_size=6))
    current = ""
    for index, section in enumerate(sorted(sections, key=bool)):
        if section and section != current:
            lines += [section, ""]
            current = section
        item_headline = headline + "." if index == 0 and draw(st.booleans()) else draw(sentence())
        lines += [clock_text(draw(CLOCKS)), "", item_headline, "", draw(sentence(3, 20))]
    return "\n".join(lines) + "\n"


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(page=pages())
def test_generated_pages_survive_import_export_import_unchanged(page):
    with transaction.atomic():
        apply.Importer().import_page("generated", page)
        article = Article.objects.get()
        exported = export(article)
        before = snapshot()

        outcome = apply.Importer().import_page("exported", exported)

        assert outcome.state == "unchanged"
        assert snapshot() == before
        assert export(article) == exported
        transaction.set_rollback(True)


SAMPLE_LINES = SAMPLE.read_text(encoding="utf-8").splitlines()
HOSTILE_LINES = st.one_of(
    st.sampled_from(SAMPLE_LINES),
    st.sampled_from(["", "7:14 AM", "13:99 PM", "News Feed", "Authors:", ":::card", ":::"]),
    st.text(max_size=40),
)


@st.composite
def hostile_pages(draw):
    lines = list(SAMPLE_LINES)
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(lines)))
        action = draw(st.sampled_from(["insert", "replace", "delete"]))
        if action == "insert" or not lines:
            lines.insert(where, draw(HOSTILE_LINES))
        elif action == "replace":
            lines[min(where, len(lines) - 1)] = draw(HOSTILE_LINES)
        else:
            del lines[min(where, len(lines) - 1)]
    return "\n".join(lines).encode("utf-8", "surrogatepass")


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=hostile_pages())
def test_mangled_sample_pages_import_or_fail_with_a_page_error(data):
    with transaction.atomic():
        try:
            apply.Importer().import_page("mangled", data)
        except parse.PageError as error:
            assert error.line >= 1
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_article_without_authors_is_skipped_with_a_reason(capsys):
    article = ArticleFactory(headline="Nobody wrote this")

    with pytest.raises(CommandError, match="1 articles could not be exported"):
        call_command("export_text", article.slug)

    assert f"Skipped {article.slug}: has no authors for the byline." in capsys.readouterr().err
