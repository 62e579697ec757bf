"""Which changes tell webhooks what: each event from the one place its change happens."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from articles import workflow
from articles.models import Status
from feed.models import FeedItem
from newsroom.models import Webhook
from tests.factories import ArticleFactory, AuthorFactory, FeedItemFactory, TagFactory

pytestmark = pytest.mark.django_db

Event = Webhook.Event


@pytest.fixture
def told(receiver, run_worker, django_capture_on_commit_callbacks):
    """Run `change` and commit it, run the worker, and return the (event, data) sent."""
    Webhook.objects.create(url=receiver.url, events=Event.values)

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()
        run_worker()
        sent = [json.loads(body) for _, _, body in receiver.requests]
        receiver.requests.clear()
        return [
            (document["event"], document.get("article") or document["feed_item"])
            for document in sent
        ]

    return run


def test_publishing_and_unpublishing_an_article_tell_each_once(told):
    article = ArticleFactory(status=Status.DRAFT, published_at=None, headline="Ceasefire talks")
    [(event, data)] = told(lambda: workflow.publish(article=article, by=None))
    assert (event, data["id"], data["headline"]) == (
        "article.published",
        article.pk,
        "Ceasefire talks",
    )

    [(event, data)] = told(lambda: workflow.unpublish(article=article, by=None))
    assert (event, data["id"]) == ("article.unpublished", article.pk)


def test_unpublishing_an_article_readers_never_saw_tells_nothing(told):
    article = ArticleFactory(
        status=Status.SCHEDULED, published_at=timezone.now() + timedelta(days=1)
    )
    assert told(lambda: workflow.unpublish(article=article, by=None)) == []


def test_an_edit_readers_can_see_tells_of_an_update_and_a_save_that_changes_nothing_does_not(told):
    article = ArticleFactory(headline="Old headline")

    def edit():
        article.headline = "New headline"
        article.save()

    [(event, data)] = told(edit)
    assert (event, data["headline"]) == ("article.updated", "New headline")
    assert told(article.save) == []


def test_a_new_tag_on_a_public_article_is_an_update(told):
    article = ArticleFactory()
    tag = TagFactory(name="Energy")

    def tag_it():
        article.save()  # the admin saves the article, then its tags
        article.tags.add(tag)

    [(event, data)] = told(tag_it)
    assert event == "article.updated"
    assert data["tags"] == [{"name": "Energy", "url": "http://127.0.0.1:8000/tags/energy/"}]


def test_edits_to_an_article_readers_cannot_see_tell_nothing(told):
    article = ArticleFactory(status=Status.DRAFT, published_at=None)
    article.headline = "Still a draft"
    assert told(article.save) == []


def test_deleting_a_public_article_tells_it_is_unpublished(told):
    article = ArticleFactory(headline="Mistake")
    [(event, data)] = told(article.delete)
    assert (event, data["headline"]) == ("article.unpublished", "Mistake")


def test_a_scheduled_article_is_published_and_told_of_at_its_time(told, run_worker):
    when = timezone.now() + timedelta(hours=2)
    article = ArticleFactory(status=Status.DRAFT, published_at=None, authors=[AuthorFactory()])
    assert told(lambda: workflow.schedule(article=article, by=None, at=when)) == []
    with time_machine.travel(when + timedelta(seconds=1), tick=False):
        [(event, data)] = told(lambda: None)
    assert (event, data["id"]) == ("article.published", article.pk)
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED


def test_feed_items_tell_of_publication_updates_and_removal(told, admin_client):
    item = None

    def post():
        nonlocal item
        item = FeedItemFactory(headline="Explosions in Kharkiv")

    [(event, data)] = told(post)
    assert (event, data["headline"]) == ("feed_item.published", "Explosions in Kharkiv")
    assert data["url"] == f"http://127.0.0.1:8000/feed/{item.pk}/"

    def edit():
        item.headline = "Explosions in Kharkiv, two injured"
        item.save()

    [(event, data)] = told(edit)
    assert (event, data["headline"]) == ("feed_item.updated", "Explosions in Kharkiv, two injured")
    assert told(item.save) == []

    def unpublish():
        admin_client.post(
            "/admin/feed/feeditem/", {"action": "unpublish", "_selected_action": [item.pk]}
        )

    [(event, data)] = told(unpublish)
    assert (event, data["id"]) == ("feed_item.removed", item.pk)


def test_deleting_a_public_feed_item_tells_of_its_removal(told):
    item = FeedItemFactory(headline="Wrong city")
    pk = item.pk
    [(event, data)] = told(item.delete)
    assert (event, data["id"], data["headline"]) == ("feed_item.removed", pk, "Wrong city")


def test_a_scheduled_feed_item_is_told_of_once_its_time_comes_unless_it_moved(told):
    when = (timezone.now() + timedelta(hours=1)).replace(microsecond=0)
    item = None

    def schedule():
        nonlocal item
        item = FeedItemFactory(published_at=when)

    assert told(schedule) == []
    with time_machine.travel(when + timedelta(seconds=1), tick=False):
        [(event, data)] = told(lambda: None)
    assert (event, data["id"]) == ("feed_item.published", item.pk)

    # Moved to later: the first wake-up finds it not out yet, the second tells of it.
    later = when + timedelta(hours=3)
    other = FeedItemFactory.build(published_at=when + timedelta(hours=2))
    assert told(other.save) == []

    def move():
        other.published_at = later
        other.save()

    assert told(move) == []
    with time_machine.travel(when + timedelta(hours=2, seconds=1), tick=False):
        assert told(lambda: None) == []
    with time_machine.travel(later + timedelta(seconds=1), tick=False):
        [(event, data)] = told(lambda: None)
    assert (event, data["id"]) == ("feed_item.published", other.pk)


def test_webhooks_hear_only_the_events_they_chose_and_only_while_active(
    receiver, run_worker, django_capture_on_commit_callbacks
):
    feed_only = Webhook.objects.create(
        url=receiver.url + "?feed", events=[Event.FEED_ITEM_PUBLISHED]
    )
    Webhook.objects.create(url=receiver.url + "?off", events=Event.values, active=False)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article=ArticleFactory(status=Status.DRAFT, published_at=None), by=None)
        FeedItemFactory()
    run_worker()
    assert [path for path, _, _ in receiver.requests] == ["/hooks/newsroom?feed"]
    assert feed_only.deliveries.get().event == "feed_item.published"
    assert FeedItem.objects.count() == 1
