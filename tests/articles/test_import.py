from datetime import datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from articles import rendering
from articles.models import Article, Author, Section, Status
from feed.models import FeedItem

KYIV = ZoneInfo("Europe/Kyiv")
SAMPLE = Path(settings.BASE_DIR) / "samples" / "kyiv-independent-2024-01-21.txt"
PAGES = Path(__file__).parent / "pages"


def import_text(*paths, **options):
    call_command("import_text", *map(str, paths), verbosity=0, **options)


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
