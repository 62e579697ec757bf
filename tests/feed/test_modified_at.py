"""When a feed item last changed for readers: what its page and the feed's JSON-LD say. The
same rule as articles' (tests/articles/test_modified_at.py)."""

import importlib
import json
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command

from feed.models import FeedItem
from tests.factories import FeedItemFactory, SectionFactory
from tests.html import find_all, parse

pytestmark = pytest.mark.django_db

KYIV = ZoneInfo("Europe/Kyiv")
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=KYIV)
SAMPLE = "samples/kyiv-independent-2024-01-21.txt"
ROMANIAN = "Romanian protesters end blockade, Ukraine’s border guard service says."
CAPTURED = "2024-01-20T13:52:00+02:00"  # the item's time in the sample


def json_ld(response):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    return json.loads(found.group(1))


def what_readers_are_told(client, item):
    """Whether the item's page says "Updated", and the dateModified of its JSON-LD and of its
    entry in /feed/'s."""
    cache.clear()
    page = client.get(item.get_absolute_url())
    feed = json_ld(client.get("/feed/"))
    entry = next(e for e in feed["liveBlogUpdate"] if e["headline"] == item.headline)
    return {
        "updated": bool(find_all(parse(page), "p", "updated")),
        "json-ld": json_ld(page)["dateModified"],
        "feed": entry["dateModified"],
    }


@pytest.fixture
def item(time_machine):
    time_machine.move_to(NOW, tick=False)
    return FeedItemFactory(headline="Air raid alert in Kyiv", published_at=NOW)


def test_saves_that_change_nothing_readers_see_are_not_an_update(client, item, time_machine):
    time_machine.move_to(NOW + timedelta(hours=2), tick=False)
    item.pinned = True
    item.section = SectionFactory(name="Ukraine news")
    item.save()
    item.refresh_from_db()
    item.save()
    told = what_readers_are_told(client, item)
    assert told == {"updated": False, "json-ld": NOW.isoformat(), "feed": NOW.isoformat()}


def test_an_edit_readers_see_is_an_update_of_that_time(client, item, time_machine):
    time_machine.move_to(NOW + timedelta(hours=2), tick=False)
    item.summary = "The all-clear sounded after two hours."
    item.save()
    later = (NOW + timedelta(hours=2)).isoformat()
    assert what_readers_are_told(client, item) == {
        "updated": True,
        "json-ld": later,
        "feed": later,
    }


def test_reimporting_a_changed_capture_keeps_the_captured_time(client, time_machine, tmp_path):
    time_machine.move_to(NOW, tick=False)
    call_command("import_text", SAMPLE, verbosity=0)
    time_machine.move_to(NOW + timedelta(days=1), tick=False)
    changed = tmp_path / "changed.txt"
    text = open(SAMPLE, encoding="utf-8").read()
    changed.write_text(text.replace("has been blocked intermittently", "was blocked", 1))
    call_command("import_text", str(changed), verbosity=0)
    item = FeedItem.objects.get(headline=ROMANIAN)
    assert "was blocked" in item.summary
    told = what_readers_are_told(client, item)
    assert told == {"updated": False, "json-ld": CAPTURED, "feed": CAPTURED}


def test_the_migration_gives_existing_items_the_time_their_pages_gave(time_machine):
    migration = importlib.import_module("feed.migrations.0006_feeditem_modified_at")
    time_machine.move_to(NOW, tick=False)
    went_out = NOW - timedelta(days=3)
    rows = {
        "edited": {"updated_at": went_out + timedelta(hours=5)},
        "not edited": {"updated_at": went_out + timedelta(seconds=30)},
        "entered late": {"created_at": NOW, "updated_at": NOW},
        "scheduled": {"published_at": NOW + timedelta(days=1), "updated_at": went_out},
    }
    for headline, fields in rows.items():
        item = FeedItemFactory(headline=headline)
        FeedItem.objects.filter(pk=item.pk).update(
            modified_at=None, **{"published_at": went_out, "created_at": went_out, **fields}
        )
    migration.set_modified_at(apps, None)
    assert dict(FeedItem.objects.values_list("headline", "modified_at")) == {
        "edited": went_out + timedelta(hours=5),
        "not edited": went_out,
        "entered late": went_out,
        "scheduled": went_out,
    }
