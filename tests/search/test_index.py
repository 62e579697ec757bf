"""The index follows every change: saves, bylines, renames, deletes, imports, migrations."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection

from articles import workflow
from articles.models import Article, ArticleAuthor, Status
from feed.models import FeedItem
from search.engine import search
from search.models import Entry
from tests.factories import ArticleFactory, AuthorFactory, FeedItemFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "samples" / "kyiv-independent-2024-01-21.txt"


def headlines(text):
    return [entry.headline for entry in search(text).entries]


def test_an_edited_article_is_found_by_its_new_words_only():
    article = ArticleFactory(headline="Old headline", body="Mariupol theatre.", excerpt="Mariupol.")

    article.headline = "New headline"
    article.body = "Bucha memorial."
    article.excerpt = "Bucha."
    article.save()

    assert headlines("bucha") == ["New headline"]
    assert headlines("mariupol") == []
    assert headlines("old") == []


def test_a_published_draft_is_found_and_an_unpublished_article_is_not():
    article = ArticleFactory(headline="Irpin rebuilt", status=Status.DRAFT, published_at=None)
    assert headlines("irpin") == []

    workflow.publish(article=article, by=None)
    assert headlines("irpin") == ["Irpin rebuilt"]

    workflow.unpublish(article=Article.objects.get(pk=article.pk), by=None)
    assert headlines("irpin") == []


def test_bylines_and_renamed_authors_are_found():
    article = ArticleFactory(headline="Story")
    author = AuthorFactory(name="Martin Fornusek")

    ArticleAuthor.objects.create(article=article, author=author)
    assert headlines("fornusek") == ["Story"]

    author.name = "Martin Fornůsek-Smith"
    author.save()
    assert headlines("smith") == ["Story"]

    ArticleAuthor.objects.filter(article=article).delete()
    assert headlines("fornusek") == []


def test_deleted_articles_and_feed_items_leave_the_index():
    article = ArticleFactory(
        headline="Chernihiv", authors=[AuthorFactory(name="A"), AuthorFactory(name="B")]
    )
    item = FeedItemFactory(headline="Chernihiv update")

    article.delete()
    item.delete()

    assert headlines("chernihiv") == []
    assert not Entry.objects.exists()


def test_a_feed_item_edit_is_found():
    item = FeedItemFactory(headline="Alert", summary="Air raid in Sumy.")

    item.summary = "Air raid in Poltava."
    item.save()

    assert headlines("poltava") == ["Alert"]
    assert headlines("sumy") == []


def test_imported_articles_and_feed_items_are_found():
    call_command("import_text", str(SAMPLE), verbosity=0)

    assert "Media: Putin preparing to visit North Korea" in headlines("Pyongyang")
    assert headlines("Rachel Amran") == ["Media: Putin preparing to visit North Korea"]
    item = FeedItem.objects.filter(article=None).order_by("pk").first()
    assert item.headline in headlines(f'"{item.headline}"')


def test_rebuilding_the_index_writes_every_entry_again(capsys):
    ArticleFactory(headline="Kramatorsk")
    FeedItemFactory(headline="Sloviansk")
    Entry.objects.all().delete()

    call_command("rebuild_search_index")

    assert "2 articles and feed items indexed" in capsys.readouterr().out
    assert headlines("kramatorsk") == ["Kramatorsk"]
    assert headlines("sloviansk") == ["Sloviansk"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite rebuilds tables to alter them")
@pytest.mark.django_db(transaction=True)
def test_sqlite_triggers_come_back_after_a_migration_rebuilds_the_table():
    ArticleFactory(headline="Before the rebuild")
    with connection.schema_editor(atomic=False) as editor:
        editor._remake_table(Entry)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master "
            "WHERE type = 'trigger' AND tbl_name = 'search_entry'"
        )
        assert cursor.fetchone() == (0,), "the rebuild is expected to drop the triggers"

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    ArticleFactory(headline="After the rebuild")

    assert headlines("rebuild") == ["After the rebuild", "Before the rebuild"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL keeps a tsvector")
def test_postgresql_keeps_a_weighted_vector_with_a_gin_index():
    ArticleFactory(headline="Kyiv", body="Metro.", authors=[AuthorFactory(name="Anna")])
    vector = Entry.objects.values_list("vector", flat=True).get()
    assert vector == "'anna':2B 'kyiv':1A 'metro':3C"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_entry_vector_gin'"
        )
        assert "USING gin (vector)" in cursor.fetchone()[0]
