from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Status
from tests.factories import ArticleFactory, AuthorFactory, DeskFactory

pytestmark = pytest.mark.django_db


def test_a_published_article_reads_at_its_news_address(client):
    article = ArticleFactory(
        headline="Media: Putin preparing to visit North Korea",
        authors=[AuthorFactory(name="Rachel Amran"), DeskFactory()],
    )
    response = client.get("/news/media-putin-preparing-to-visit-north-korea/")
    assert response.status_code == 200
    assert response.context["article"] == article
    content = response.content.decode()
    assert "<h1>Media: Putin preparing to visit North Korea</h1>" in content
    assert content.index("Rachel Amran") < content.index("The Kyiv Independent news desk")


@pytest.mark.parametrize(
    ("status", "offset"),
    [
        (Status.DRAFT, None),
        (Status.REVIEW, -1),
        (Status.SCHEDULED, +1),
        (Status.PUBLISHED, +1),
        (Status.UNPUBLISHED, -1),
    ],
)
def test_articles_readers_may_not_see_are_not_found(client, status, offset):
    published_at = None if offset is None else timezone.now() + timedelta(hours=offset)
    article = ArticleFactory(status=status, published_at=published_at)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_hostile_body_is_harmless_on_the_page(client):
    article = ArticleFactory(body='Hi <script>alert(1)</script> <a href="javascript:x()">x</a>')
    content = client.get(article.get_absolute_url()).content.decode()
    body = content[content.index('<div class="body">') :]
    assert "<script>alert" not in body and "javascript:" not in body


def test_an_unknown_address_gets_the_friendly_not_found_page(client):
    response = client.get("/news/no-such-story/")
    assert response.status_code == 404
    assert b"We couldn" in response.content


def body_of(response):
    content = response.content.decode()
    return content[content.index('<div class="body">') : content.index("</article>")]


def test_a_card_link_and_a_table_and_code_show_on_the_article_page(client):
    article = ArticleFactory(
        body=(
            "Intro.\n\n:::card\ntitle: Shells to Russia\nlink: https://example.com/a\n:::\n\n"
            "| Region | Hours |\n|---|---|\n| Kyiv | 4 |\n\n```\nfetch <all>\n```"
        )
    )
    body = body_of(client.get(article.get_absolute_url()))
    assert '<a class="related-card__link" href="https://example.com/a">' in body
    assert "<th>Region</th>" in body and "<td>Kyiv</td>" in body
    assert "<pre><code>fetch &lt;all&gt;\n</code></pre>" in body


def test_body_links_to_another_host_in_disguise_are_not_clickable_on_the_page(client):
    article = ArticleFactory(
        body="[One](/\\evil.example/x) [Two](javascript:alert(1)) <a href='//evil.example'>3</a>"
    )
    body = body_of(client.get(article.get_absolute_url()))
    assert "One" in body and "Two" in body and "evil.example" not in body
    assert "javascript:" not in body
