from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Status
from tests.factories import FeedItemFactory, article_in

pytestmark = pytest.mark.django_db


def section_text(page, element_id):
    return page.split(f'id="{element_id}"', 1)[1].split("</section>", 1)[0]


def test_the_admin_front_page_shows_an_editor_the_work_waiting(client, user_in_role):
    desk = user_in_role("Editor", "desk")
    client.force_login(desk)
    article_in(Status.REVIEW, owner=None, headline="Waiting for an editor")
    for headline, wait in [
        ("Out next week", timedelta(days=7)),
        ("Out in an hour", timedelta(hours=1)),
    ]:
        article_in(
            Status.SCHEDULED, owner=None, headline=headline, published_at=timezone.now() + wait
        )
    article_in(Status.DRAFT, owner=desk, headline="My own draft")
    article_in(Status.DRAFT, owner=None, headline="Someone else's draft")
    FeedItemFactory(headline="Power restored in Kharkiv")

    page = client.get("/admin/").content.decode()

    assert "Waiting for an editor" in section_text(page, "review-queue")
    scheduled = section_text(page, "scheduled-next")
    assert scheduled.index("Out in an hour") < scheduled.index("Out next week")
    drafts = section_text(page, "my-drafts")
    assert "My own draft" in drafts and "Someone else" not in drafts
    assert "Power restored in Kharkiv" in section_text(page, "latest-feed-items")


def test_a_contributor_sees_only_their_own_work_and_no_feed(client, user_in_role):
    writer = user_in_role("Contributor", "writer")
    client.force_login(writer)
    article_in(Status.REVIEW, owner=writer, headline="My story in review")
    article_in(Status.REVIEW, owner=None, headline="A colleague's story")
    page = client.get("/admin/").content.decode()
    queue = section_text(page, "review-queue")
    assert "My story in review" in queue and "colleague" not in queue
    assert 'id="latest-feed-items"' not in page


def test_the_front_page_keeps_to_a_query_budget(
    client, user_in_role, django_assert_max_num_queries
):
    client.force_login(user_in_role("Editor", "desk"))
    for number in range(6):
        article_in(Status.REVIEW, owner=None, headline=f"Story {number}")
        FeedItemFactory()
    with django_assert_max_num_queries(12):
        client.get("/admin/")
