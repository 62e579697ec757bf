"""Old addresses: a renamed article, section, author or tag is still found at its old address."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import workflow
from articles.models import Redirect, Status
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    TagFactory,
    article_in,
    change_form,
    change_url,
)

pytestmark = pytest.mark.django_db


def rename(thing, slug):
    thing.slug = slug
    thing.save()


def moved_to(client, address):
    """Where `address` sends a reader for good; fails unless it is a 301."""
    response = client.get(address)
    assert response.status_code == 301, f"{address} answered {response.status_code}"
    return response["Location"]


def test_changing_a_published_articles_slug_in_the_admin_leaves_a_permanent_redirect(
    editor_client, reader
):
    article = ArticleFactory(headline="Grain corridor reopens", authors=[AuthorFactory()])
    response = editor_client.post(
        change_url(article), change_form(article, slug="black-sea-grain-corridor-reopens")
    )
    assert response.status_code == 302
    assert moved_to(reader, "/news/grain-corridor-reopens/") == (
        "/news/black-sea-grain-corridor-reopens/"
    )
    assert reader.get("/news/black-sea-grain-corridor-reopens/").status_code == 200


def test_renaming_twice_sends_the_first_address_straight_to_the_last(client):
    article = ArticleFactory(slug="first")
    rename(article, "second")
    rename(article, "third")
    assert moved_to(client, "/news/first/") == "/news/third/"
    assert moved_to(client, "/news/second/") == "/news/third/"


def test_renaming_back_makes_the_old_address_the_page_again(client):
    article = ArticleFactory(slug="first")
    rename(article, "second")
    rename(article, "first")
    assert client.get("/news/first/").status_code == 200
    assert moved_to(client, "/news/second/") == "/news/first/"


def test_a_draft_renamed_before_anyone_could_read_it_leaves_no_old_address(client):
    draft = article_in(Status.DRAFT, owner=None, slug="working-title")
    rename(draft, "final-title")
    workflow.publish(article=draft, by=None)
    assert client.get("/news/working-title/").status_code == 404


def test_the_old_address_of_an_article_taken_down_is_not_found(client):
    article = ArticleFactory(slug="first")
    rename(article, "second")
    workflow.unpublish(article=article, by=None)
    response = client.get("/news/first/")
    assert response.status_code == 404
    assert "second" not in response.text


def test_a_new_page_at_an_old_address_wins(client):
    old = ArticleFactory(slug="first", headline="Old story")
    rename(old, "second")
    ArticleFactory(slug="first", headline="New story")
    response = client.get("/news/first/")
    assert response.status_code == 200 and "New story" in response.text


def test_the_query_string_goes_along(client):
    article = ArticleFactory(slug="first")
    rename(article, "second")
    assert moved_to(client, "/news/first/?utm_source=mail") == "/news/second/?utm_source=mail"


@pytest.mark.parametrize(
    ("make", "base"),
    [(SectionFactory, "/sections/"), (AuthorFactory, "/authors/"), (TagFactory, "/tags/")],
    ids=["section", "author", "tag"],
)
def test_renamed_sections_authors_and_tags_keep_their_old_addresses(client, make, base):
    thing = make(name="Ukraine news", slug="ukraine-news")
    rename(thing, "ukraine")
    assert moved_to(client, f"{base}ukraine-news/") == f"{base}ukraine/"


def test_a_renamed_sections_feeds_keep_their_old_addresses(client):
    section = SectionFactory(name="Ukraine news", slug="ukraine-news")
    rename(section, "ukraine")
    for tail in ["rss/", "atom/", "feed/"]:
        assert moved_to(client, f"/sections/ukraine-news/{tail}") == f"/sections/ukraine/{tail}"
    assert client.get("/sections/ukraine-news/nonsense/").status_code == 404


def test_old_addresses_are_looked_up_only_for_pages_not_found(client):
    article = ArticleFactory(slug="first")
    rename(article, "second")
    with CaptureQueriesContext(connection) as found:
        assert client.get("/news/second/").status_code == 200
    with CaptureQueriesContext(connection) as not_found:
        assert client.get("/news/no-such-story/").status_code == 404
    asked = [query["sql"] for query in not_found.captured_queries]
    assert not any("articles_redirect" in query["sql"] for query in found.captured_queries)
    assert sum("articles_redirect" in sql for sql in asked) == 1


def test_editors_see_old_addresses_in_the_admin_and_may_remove_one(editor_client, reader):
    article = ArticleFactory(slug="first", headline="Grain corridor reopens")
    rename(article, "second")
    listing = editor_client.get("/admin/articles/redirect/")
    assert "/news/first/" in listing.text and "Grain corridor reopens" in listing.text
    old = Redirect.objects.get()
    response = editor_client.post(f"/admin/articles/redirect/{old.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert reader.get("/news/first/").status_code == 404
