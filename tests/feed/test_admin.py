from datetime import timedelta

import pytest
from django.utils import timezone

from feed.models import FeedItem, FeedRemoval
from tests.factories import FeedItemFactory, SectionFactory

pytestmark = pytest.mark.django_db


def form(**fields):
    return {
        "headline": "Romanian protesters end blockade",
        "summary": "The crossing reopened.",
        "article": "",
        "section": "",
        "published_at_0": "",
        "published_at_1": "",
        "status": "published",
        "url": "",
        **fields,
    }


def test_an_editor_schedules_an_item_for_later(editor_client, time_machine):
    time_machine.move_to("2024-01-21 05:00:00+00:00", tick=False)
    section = SectionFactory(name="Ukraine news")
    response = editor_client.post(
        "/admin/feed/feeditem/add/",
        form(section=section.pk, pinned="on", published_at_0="2024-01-21", published_at_1="09:00"),
    )
    assert response.status_code == 302
    item = FeedItem.objects.get()
    assert item.pinned and item.section == section
    assert item not in FeedItem.objects.published()
    time_machine.shift(timedelta(hours=2, minutes=1))  # 9:00 in Kyiv is 7:00 UTC
    assert item in FeedItem.objects.published()


def test_editing_an_item_sets_updated_at_and_readers_see_updated(
    editor_client, client, time_machine
):
    time_machine.move_to("2024-01-21 05:00:00+00:00", tick=False)
    item = FeedItemFactory(published_at=timezone.now())
    time_machine.shift(timedelta(minutes=20))
    response = editor_client.post(
        f"/admin/feed/feeditem/{item.pk}/change/",
        form(
            headline="Corrected headline",
            published_at_0="2024-01-21",
            published_at_1="07:00:00",
        ),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.updated_at == timezone.now()
    assert item.headline == "Corrected headline"
    assert '<p class="updated">Updated</p>' in client.get(f"/feed/{item.pk}/").content.decode()


def test_unpublish_action_takes_items_off_open_pages(editor_client):
    items = [FeedItemFactory(), FeedItemFactory()]
    response = editor_client.post(
        "/admin/feed/feeditem/",
        {"action": "unpublish", "_selected_action": [item.pk for item in items]},
    )
    assert response.status_code == 302
    assert not FeedItem.objects.published().exists()
    assert set(FeedRemoval.objects.values_list("item_id", flat=True)) == {i.pk for i in items}
