from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.utils import timezone

from feed.models import READERS, FeedItem, FeedRemoval
from newsroom import freshness
from tests.factories import ArticleFactory, FeedItemFactory
from tests.rules import assert_rows_agree, assert_split_exactly

pytestmark = pytest.mark.django_db


def test_summary_is_stored_as_sanitised_html():
    item = FeedItemFactory(summary="**Fire** in the port. <script>alert(1)</script>")
    stored = FeedItem.objects.get(pk=item.pk).summary_rendered
    assert "<strong>Fire</strong>" in stored
    assert "<script" not in stored
    assert FeedItem.objects.get(pk=item.pk).summary_html() == stored


def test_items_drawn_in_a_list_bring_of_their_article_only_what_their_link_reads(
    django_assert_num_queries,
):
    article = ArticleFactory(headline="The full story", body="A long body. " * 200)
    FeedItemFactory(headline="With article", article=article, section=article.section)
    for items in (
        FeedItem.objects.drawn(),
        FeedItem.objects.latest(),
        FeedItem.objects.changed_since(timezone.now() - timedelta(hours=1)),
    ):
        with django_assert_num_queries(1):
            (item,) = list(items)
        with django_assert_num_queries(0):
            drawn = (item.link, item.section.name)
        assert drawn == (article.get_absolute_url(), article.section.name)
        assert {"body", "headline", "excerpt"} <= item.article.get_deferred_fields()


def test_saving_only_the_summary_renders_it_again():
    item = FeedItemFactory(summary="Old words.")
    item.summary = "New *words*."
    item.save(update_fields=["summary"])
    assert "<em>words</em>" in FeedItem.objects.get(pk=item.pk).summary_rendered


def test_every_save_and_delete_changes_the_feed_version(django_capture_on_commit_callbacks):
    versions = [freshness.FEED.current()]
    with django_capture_on_commit_callbacks(execute=True):
        item = FeedItemFactory()
    versions.append(freshness.FEED.current())
    with django_capture_on_commit_callbacks(execute=True):
        item.headline = "Edited"
        item.save()
    versions.append(freshness.FEED.current())
    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    versions.append(freshness.FEED.current())
    assert len(set(versions)) == 4


def test_version_is_read_from_the_cache_once_it_exists():
    first = freshness.FEED.current()
    assert freshness.FEED.current() == first
    assert cache.get(freshness.FEED.key)[0] == first


def test_version_changes_when_a_scheduled_item_comes_due(time_machine, settings):
    settings.FEED_POLL_INTERVAL = 60
    time_machine.move_to("2024-01-21 05:00:00+00:00", tick=False)
    FeedItemFactory(published_at=timezone.now() + timedelta(seconds=20))
    before = freshness.FEED.current()
    time_machine.shift(timedelta(seconds=19))
    assert freshness.FEED.current() == before
    time_machine.shift(timedelta(seconds=2))
    assert freshness.FEED.current() != before


def test_version_in_a_per_process_cache_lasts_one_poll_interval(time_machine, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.FEED_POLL_INTERVAL = 5
    time_machine.move_to("2024-01-21 05:00:00+00:00", tick=False)
    before = freshness.FEED.current()
    time_machine.shift(timedelta(seconds=4))
    assert freshness.FEED.current() == before
    time_machine.shift(timedelta(seconds=2))
    assert freshness.FEED.current() != before


def test_unpublishing_a_visible_item_records_its_removal():
    item = FeedItemFactory()
    item.status = FeedItem.Status.DRAFT
    item.save()
    assert list(FeedRemoval.objects.values_list("item_id", flat=True)) == [item.pk]


def test_saving_a_draft_readers_never_saw_records_no_removal():
    item = FeedItemFactory(status=FeedItem.Status.DRAFT)
    item.headline = "Still a draft"
    item.save()
    item.delete()
    assert not FeedRemoval.objects.exists()


def test_deleting_a_published_item_records_its_removal():
    item = FeedItemFactory()
    pk = item.pk
    item.delete()
    assert FeedRemoval.objects.filter(item_id=pk).exists()


def test_republishing_an_item_forgets_its_removal():
    item = FeedItemFactory()
    item.status = FeedItem.Status.DRAFT
    item.save()
    item.status = FeedItem.Status.PUBLISHED
    item.save()
    assert not FeedRemoval.objects.exists()


def test_moving_a_published_item_into_the_future_removes_it_until_then():
    item = FeedItemFactory()
    item.published_at = timezone.now() + timedelta(hours=1)
    item.save()
    assert FeedRemoval.objects.filter(item_id=item.pk).exists()


def test_changes_since_a_moment_are_the_same_when_too_many_for_the_quick_path(time_machine):
    time_machine.move_to("2024-01-21 05:00:00+00:00", tick=False)
    since = timezone.now()
    time_machine.shift(timedelta(minutes=1))
    FeedItemFactory.create_batch(3, published_at=timezone.now() - timedelta(seconds=30))
    FeedItemFactory(status=FeedItem.Status.DRAFT)
    FeedItemFactory(published_at=timezone.now() + timedelta(hours=1))
    quick = FeedItem.objects.changed_since(since)
    plain = FeedItem.objects.changed_since(since, cap=2)
    assert not quick.ordered and plain.ordered
    assert sorted(item.pk for item in quick) == sorted(item.pk for item in plain)
    assert len(quick) == 3


@pytest.mark.parametrize("cap", [1000, 1], ids=["quick path", "too many for it"])
def test_a_sections_changes_are_its_new_and_edited_items_only(time_machine, cap):
    from tests.factories import SectionFactory

    time_machine.move_to("2024-01-21 05:00:00+00:00", tick=False)
    kyiv, odesa = SectionFactory(name="Kyiv"), SectionFactory(name="Odesa")
    edited = FeedItemFactory(section=kyiv, published_at=timezone.now() - timedelta(hours=1))
    since = timezone.now()
    time_machine.shift(timedelta(minutes=1))
    new = FeedItemFactory(section=kyiv, published_at=timezone.now())
    FeedItemFactory(section=odesa, published_at=timezone.now())
    edited.headline = "Corrected"
    edited.save()

    changed = FeedItem.objects.changed_since(since, section=kyiv, cap=cap)

    assert sorted(item.pk for item in changed) == sorted([edited.pk, new.pk])


def test_every_item_coming_due_is_a_change_even_more_than_the_quick_path_takes(time_machine):
    time_machine.move_to("2024-01-21 05:00:00+00:00", tick=False)
    due = timezone.now() + timedelta(minutes=2)
    scheduled = FeedItemFactory.create_batch(3, published_at=due)  # written before `since`
    since = timezone.now() + timedelta(minutes=1)
    time_machine.move_to(due + timedelta(minutes=1), tick=False)

    changed = FeedItem.objects.changed_since(since, cap=2)

    assert sorted(item.pk for item in changed) == sorted(item.pk for item in scheduled)


def test_every_item_edited_is_a_change_even_more_than_the_quick_path_takes(time_machine):
    time_machine.move_to("2024-01-21 05:00:00+00:00", tick=False)
    edited = FeedItemFactory.create_batch(3, published_at=timezone.now() - timedelta(hours=1))
    since = timezone.now()
    time_machine.shift(timedelta(minutes=1))
    for item in edited:
        item.headline = f"Corrected {item.pk}"
        item.save()

    changed = FeedItem.objects.changed_since(since, cap=2)

    assert sorted(item.pk for item in changed) == sorted(item.pk for item in edited)


def test_writes_are_numbered_again_once_migrate_runs_after_a_rebuild_lost_the_triggers():
    """SQLite drops a table's triggers when a migration rebuilds it; migrate makes them again."""
    with connection.cursor() as cursor:
        for table in ("feed_feeditem", "feed_feedremoval"):
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER feed_numbered ON {table}")
            else:
                cursor.execute(f"DROP TRIGGER {table}_numbered_on_insert")
                cursor.execute(f"DROP TRIGGER {table}_numbered_on_update")
    lost = FeedItemFactory()
    assert FeedItem.objects.get(pk=lost.pk).change_number == 0
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    numbered = FeedItemFactory()
    lost.save()
    assert FeedItem.objects.get(pk=numbered.pk).change_number > 0
    assert FeedItem.objects.get(pk=lost.pk).change_number > 0


def item_in_every_status_at_every_time(now):
    for status in FeedItem.Status.values:
        for moment in (now - timedelta(days=1), now, now + timedelta(minutes=1)):
            FeedItemFactory(status=status, published_at=moment)


def test_every_feed_item_is_either_one_readers_see_or_one_they_do_not():
    now = timezone.now()
    item_in_every_status_at_every_time(now)

    seen = assert_split_exactly(FeedItem, READERS.see(now=now), READERS.do_not_see(now=now))

    assert len(seen) == 2


def test_a_feed_item_in_hand_is_public_exactly_when_published_finds_it(time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    item_in_every_status_at_every_time(now)

    assert_rows_agree(FeedItem)


@pytest.mark.django_db
def test_the_migration_makes_every_summarys_html_again_from_its_text():
    migration = import_module("feed.migrations.0007_render_imported_summaries")
    never = FeedItemFactory(summary="Never *rendered*.")
    stale = FeedItemFactory(summary="The new **text**.")
    FeedItem.objects.filter(pk=never.pk).update(summary_rendered="")
    FeedItem.objects.filter(pk=stale.pk).update(summary_rendered="<p>The old text.</p>")

    migration.render_summaries(apps, None)

    assert FeedItem.objects.get(pk=never.pk).summary_rendered == "<p>Never <em>rendered</em>.</p>"
    assert FeedItem.objects.get(pk=stale.pk).summary_rendered == (
        "<p>The new <strong>text</strong>.</p>"
    )
