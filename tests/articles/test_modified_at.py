"""When an article last changed for readers: what the page, JSON-LD, feeds and sitemap say."""

import importlib
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from reversion.models import Version

from articles import workflow
from articles.models import SLIP, Article, Status
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
    change_form,
    change_url,
    image_file,
)
from tests.html import sitemap_urls

pytestmark = pytest.mark.django_db

KYIV = ZoneInfo("Europe/Kyiv")
SAMPLE = "samples/kyiv-independent-2024-01-21.txt"
CAPTURED = "2024-01-21T07:14:00+02:00"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=KYIV)


def dates_readers_are_given(client, article):
    """The modification time of `article` in its page, JSON-LD, Atom feed and sitemap."""
    cache.clear()
    page = client.get(article.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'ld\+json">(\{"@context.*?)</script>', page).group(1))
    updated = re.search(r'<span>Updated <time datetime="([^"]+)"', page)
    atom = ET.fromstring(client.get("/atom/").content)
    entry = next(
        e for e in atom.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == article.headline
    )
    url = next(
        u
        for u in sitemap_urls(client)
        if u.findtext(f"{SITEMAP}loc").endswith(article.get_absolute_url())
    )
    return {
        "page": updated.group(1) if updated else None,
        "json-ld": data["dateModified"],
        "atom": datetime.fromisoformat(entry.findtext(f"{ATOM}updated")),
        "sitemap": datetime.fromisoformat(url.findtext(f"{SITEMAP}lastmod")),
    }


@pytest.fixture
def later(time_machine):
    time_machine.move_to(NOW, tick=False)


def import_sample(path=SAMPLE):
    call_command("import_text", str(path), verbosity=0)
    return Article.objects.get()


def test_an_imported_archive_article_keeps_the_time_of_its_captured_page(client, later):
    article = import_sample()
    dates = dates_readers_are_given(client, article)
    assert dates["page"] is None
    assert dates["json-ld"] == CAPTURED
    assert dates["atom"] == dates["sitemap"] == datetime.fromisoformat(CAPTURED)


def test_reimporting_a_changed_capture_is_not_an_edit_made_today(client, later, tmp_path):
    import_sample()
    changed = tmp_path / "changed.txt"
    text = open(SAMPLE, encoding="utf-8").read()
    changed.write_text(text.replace("Putin also reportedly", "Putin reportedly", 1))
    article = import_sample(changed)
    assert "Putin reportedly thanked" in article.body
    assert dates_readers_are_given(client, article)["json-ld"] == CAPTURED


def test_an_edit_readers_see_dates_the_page_json_ld_feeds_and_sitemap_alike(
    client, later, time_machine
):
    article = import_sample()
    time_machine.move_to(NOW + timedelta(hours=1), tick=False)
    article.dek = "Pyongyang has not named a date."
    article.save()
    expected = (NOW + timedelta(hours=1)).isoformat()
    dates = dates_readers_are_given(client, article)
    assert dates["page"] == dates["json-ld"] == expected
    assert dates["atom"] == dates["sitemap"] == NOW + timedelta(hours=1)


def test_saves_that_change_nothing_readers_see_keep_the_time(client, later, time_machine):
    article = import_sample()
    time_machine.move_to(NOW + timedelta(hours=1), tick=False)
    article.section = SectionFactory(name="Europe")
    article.save()
    article.tags.add(TagFactory())
    workflow.unpublish(article=article, by=None)
    workflow.publish(article=article, by=None)
    article.refresh_from_db()
    assert article.modified_at == datetime.fromisoformat(CAPTURED)
    assert dates_readers_are_given(client, article)["json-ld"] == CAPTURED


def test_changing_the_authors_in_the_admin_is_an_update(editor_client, later, time_machine):
    article = import_sample()
    time_machine.move_to(NOW + timedelta(hours=2), tick=False)
    data = change_form(article)
    data["bylines-1-DELETE"] = "on"
    assert editor_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert [a.name for a in article.ordered_authors] == ["Rachel Amran"]
    assert article.modified_at == NOW + timedelta(hours=2)


def test_saving_the_admin_form_unchanged_is_not_an_update(editor_client, later, time_machine):
    article = import_sample()
    time_machine.move_to(NOW + timedelta(hours=2), tick=False)
    data = change_form(article, audio_ai_generated="on")
    assert editor_client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.modified_at == datetime.fromisoformat(CAPTURED)


def test_restoring_an_earlier_wording_is_an_update(later, time_machine):
    article = import_sample()
    article.headline = "Putin may visit North Korea"
    article.save()  # a revision of its own, made by code
    original = Version.objects.get_for_object(article).get()
    article.headline = "Putin will visit North Korea"
    article.save()
    time_machine.move_to(NOW + timedelta(hours=3), tick=False)
    workflow.restore(article=article, version=original, by=None)
    article.refresh_from_db()
    assert article.headline == "Putin may visit North Korea"
    assert article.modified_at == NOW + timedelta(hours=3)


@pytest.mark.parametrize("read_first", [False, True])
def test_a_new_picture_is_an_update_and_the_same_one_is_not_whether_or_not_it_was_read(
    later, time_machine, read_first
):
    article = ArticleFactory(hero_image=image_file("kyiv.jpg"))
    kept, published = article.hero_image.name, article.modified_at
    time_machine.move_to(NOW + timedelta(hours=1), tick=False)
    loaded = Article.objects.get(pk=article.pk)
    if read_first:
        assert loaded.hero_image.name == kept
    loaded.hero_image = kept
    loaded.save()
    assert Article.objects.get(pk=article.pk).modified_at == published
    loaded = Article.objects.get(pk=article.pk)
    if read_first:
        assert loaded.hero_image.name == kept
    loaded.hero_image = image_file("odesa.jpg")
    loaded.save()
    assert Article.objects.get(pk=article.pk).modified_at == NOW + timedelta(hours=1)


SECOND = timedelta(seconds=1)
MICROSECOND = timedelta(microseconds=1)
ON_THE_MINUTE = datetime(2026, 3, 1, 7, 14, tzinfo=UTC)
HALF_PAST = datetime(2026, 3, 1, 7, 14, 0, 500_000, tzinfo=UTC)


@pytest.mark.parametrize(
    "published, later_by",
    [
        (ON_THE_MINUTE, 60 * SECOND),  # a slip still
        (ON_THE_MINUTE, 60 * SECOND + MICROSECOND),
        (HALF_PAST, 60 * SECOND - MICROSECOND),
        (HALF_PAST, 60 * SECOND),
        (HALF_PAST, 60 * SECOND + MICROSECOND),
        (HALF_PAST, 59.5 * SECOND),  # changed on a whole second
        (HALF_PAST, 60.5 * SECOND),
        (datetime(2026, 2, 28, 23, 59, 30, tzinfo=UTC), 61 * SECOND),  # into March
        (ON_THE_MINUTE, None),
    ],
)
def test_the_databases_time_of_the_last_change_is_the_one_the_page_gives(published, later_by):
    article = ArticleFactory(published_at=published)
    modified = None if later_by is None else published + later_by
    Article.objects.filter(pk=article.pk).update(modified_at=modified)
    article.refresh_from_db()
    in_sql = (
        Article.objects.filter(pk=article.pk)
        .annotate(moment=Article.date_modified_in_sql())
        .values_list("moment", flat=True)
        .get()
    )
    assert in_sql == article.date_modified
    assert article.was_updated == (later_by is not None and later_by > SLIP)


def test_an_article_entered_after_its_publication_time_is_not_updated(later):
    published = NOW - timedelta(days=2)
    article = Article.objects.create(
        headline="Entered late", status=Status.PUBLISHED, published_at=published
    )
    article.bylines.create(author=AuthorFactory(), position=0)
    assert article.modified_at == published and not article.was_updated


def test_the_migration_gives_existing_articles_the_time_their_pages_gave(later):
    migration = importlib.import_module("articles.migrations.0014_modified_at")
    went_out = NOW - timedelta(days=3)
    rows = {
        "imported": {"import_digest": "abc", "updated_at": NOW},
        "edited": {"updated_at": went_out + timedelta(hours=5)},
        "not edited": {"updated_at": went_out + timedelta(seconds=30)},
        "draft": {"status": Status.DRAFT, "published_at": None, "updated_at": went_out},
    }
    for headline, fields in rows.items():
        article = Article.objects.create(
            headline=headline, status=fields.pop("status", Status.PUBLISHED), published_at=went_out
        )
        Article.objects.filter(pk=article.pk).update(
            created_at=went_out, modified_at=None, **{"published_at": went_out, **fields}
        )
    migration.set_modified_at(apps, None)
    assert dict(Article.objects.values_list("headline", "modified_at")) == {
        "imported": went_out,
        "edited": went_out + timedelta(hours=5),
        "not edited": went_out,
        "draft": went_out,
    }
    assert timezone.is_aware(went_out)


@pytest.mark.parametrize(("after", "updated"), [(60, False), (61, True)])
def test_an_edit_says_updated_only_more_than_a_minute_after_publication(
    client, later, time_machine, after, updated
):
    article = ArticleFactory(headline="Kyiv metro runs", published_at=timezone.now())
    time_machine.shift(timedelta(seconds=after))
    article.headline = "Kyiv metro runs all night"
    article.save()

    assert (dates_readers_are_given(client, article)["page"] is not None) is updated


def test_a_draft_with_no_publication_time_is_never_updated(later, time_machine):
    draft = ArticleFactory(status=Status.DRAFT, published_at=None)
    time_machine.shift(timedelta(hours=1))
    draft.headline = "Changed"
    draft.save()

    assert draft.modified_at is not None and not draft.was_updated
