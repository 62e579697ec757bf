"""The audit log: who published, unpublished, scheduled, restored or edited what."""

import pytest

from articles.models import Status
from feed.models import FeedItem
from newsroom.models import AuditEntry
from tests.factories import FeedItemFactory, article_in, change_form, change_url, local_parts

pytestmark = pytest.mark.django_db


def feed_form(item, **overrides):
    day, time = local_parts(item.published_at)
    data = {
        "headline": item.headline,
        "summary": item.summary,
        "status": item.status,
        "published_at_0": day,
        "published_at_1": time,
        # The admin sends the time it showed, since the field has a default that is a callable.
        "initial-published_at_0": day,
        "initial-published_at_1": time,
        "url": "",
    }
    data.update(overrides)
    return data


def test_feed_items_published_unpublished_and_edited_are_logged(client, user_in_role):
    client.force_login(user_in_role("Editor", "desk"))
    item = FeedItemFactory(status=FeedItem.Status.DRAFT, headline="Air raid alert")
    item.published_at = item.published_at.replace(microsecond=0)  # as the form shows it
    item.save()
    url = f"/admin/feed/feeditem/{item.pk}/change/"

    assert client.post(url, feed_form(item, status="published")).status_code == 302
    assert (
        client.post(url, feed_form(item, status="published", headline="Alert lifted")).status_code
        == 302
    )
    assert (
        client.post(url, feed_form(item, status="draft", headline="Alert lifted")).status_code
        == 302
    )

    entries = AuditEntry.objects.order_by("id")
    assert [e.action for e in entries] == ["published", "edited", "unpublished"]
    assert {e.user.username for e in entries} == {"desk"}
    assert entries[1].note == "headline"


def test_the_audit_log_is_read_only_in_the_admin(client, user_in_role):
    client.force_login(user_in_role("Editor", "desk"))
    article = article_in(Status.REVIEW, owner=None, headline="Grain corridor")
    client.post(change_url(article), change_form(article, status=Status.PUBLISHED))
    entry = AuditEntry.objects.get()

    listing = client.get("/admin/newsroom/auditentry/")
    assert listing.status_code == 200 and "Grain corridor" in listing.content.decode()
    assert client.get("/admin/newsroom/auditentry/add/").status_code == 403
    response = client.post(f"/admin/newsroom/auditentry/{entry.pk}/change/", {"note": "forged"})
    assert response.status_code == 403
    assert (
        client.post(f"/admin/newsroom/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    entry.refresh_from_db()
    assert entry.note.startswith("From In review")


def test_contributors_do_not_see_the_audit_log(client, user_in_role):
    client.force_login(user_in_role("Contributor", "writer"))
    assert client.get("/admin/newsroom/auditentry/").status_code == 403


def test_an_articles_history_page_lists_its_audit_entries(client, user_in_role):
    client.force_login(user_in_role("Editor", "desk"))
    article = article_in(Status.REVIEW, owner=None)
    client.post(change_url(article), change_form(article, status=Status.PUBLISHED))
    page = client.get(f"/admin/articles/article/{article.pk}/history/").content.decode()
    assert 'id="audit-log"' in page and "From In review" in page


def test_a_feed_item_posted_as_published_is_logged(client, user_in_role):
    client.force_login(user_in_role("Editor", "desk"))
    data = {"headline": "Air raid alert in Kyiv", "summary": "", "status": "published"}
    data.update({"published_at_0": "", "published_at_1": "", "url": ""})
    assert client.post("/admin/feed/feeditem/add/", data).status_code == 302
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_repr) == ("published", "Air raid alert in Kyiv")
