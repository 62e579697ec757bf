"""Related articles, chosen in the admin (More → Related articles), under the article."""

import pytest

from articles.models import Status
from tests.factories import ArticleFactory, AuthorFactory, article_in
from tests.html import find, find_all, links, parse, text

pytestmark = pytest.mark.django_db


def related_headlines(client, article):
    """The headlines under Related articles on the article's page, as a reader reads them."""
    page = parse(client.get(article.get_absolute_url()))
    sections = find_all(page, "section", "related-articles")
    teasers = find_all(sections[0], "article", "teaser") if sections else []
    return [text(find(teaser, "h3")) for teaser in teasers]


def test_related_articles_readers_may_open_are_listed_under_the_article(client):
    article = ArticleFactory(headline="Putin preparing to visit North Korea")
    shells = ArticleFactory(
        headline="North Korea supplying shells to Russia",
        excerpt="Around one million rounds.",
        authors=[AuthorFactory(name="Elsa Court")],
    )
    draft = article_in(Status.DRAFT, owner=None, headline="Not out yet")
    article.related_articles.set([shells, draft])

    page = parse(client.get(article.get_absolute_url()))
    section = find(page, "section", "related-articles")
    assert text(find(section, "h2")) == "Related articles"
    [teaser] = find_all(section, "article", "teaser")
    assert text(teaser).startswith(
        "North Korea supplying shells to Russia Around one million rounds. by Elsa Court"
    )
    assert links(teaser)[:2] == [
        (shells.get_absolute_url(), "North Korea supplying shells to Russia"),
        ("/authors/elsa-court/", "Elsa Court"),
    ]
    assert page.html.index('class="authors"') < page.html.index('class="related-articles"')


def test_an_article_with_no_related_articles_shows_no_empty_heading(client):
    article = ArticleFactory()
    article.related_articles.set([article_in(Status.DRAFT, owner=None)])
    assert "Related articles" not in client.get(article.get_absolute_url()).text


def test_a_related_article_going_out_shows_on_the_cached_page(client):
    article = ArticleFactory()
    coming = article_in(Status.DRAFT, owner=None, headline="Coming soon")
    article.related_articles.set([coming])
    assert related_headlines(client, article) == []
    coming.status = Status.PUBLISHED
    coming.save()
    assert related_headlines(client, article) == ["Coming soon"]


def related_lookup(client, term):
    response = client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "related_articles",
            "term": term,
        },
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_a_writer_may_link_published_articles_but_not_others_unpublished_ones(client, user_in_role):
    writer = user_in_role("Contributor", "writer")
    article_in(Status.PUBLISHED, owner=None, headline="Chernihiv counts the cost")
    article_in(Status.DRAFT, owner=None, headline="Chernihiv draft by someone else")
    article_in(Status.DRAFT, owner=writer, headline="Chernihiv draft of the writer's own")
    client.force_login(writer)

    assert sorted(related_lookup(client, "Chernihiv")) == [
        "Chernihiv counts the cost",
        "Chernihiv draft of the writer's own",
    ]
    # Elsewhere the writer still sees only their own work.
    listed = client.get("/admin/articles/article/").content.decode()
    assert "Chernihiv counts the cost" not in listed
