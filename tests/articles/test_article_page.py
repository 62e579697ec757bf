from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import MediaImage, Status
from articles.readingtime import reading_minutes
from tests.factories import ArticleFactory, AuthorFactory, DeskFactory, image_file
from tests.html import find, find_all, parse, text

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


def test_a_library_picture_shows_with_the_bodys_caption_or_else_the_librarys(client):
    picture = MediaImage.objects.create(
        image=image_file(size=(900, 600)), alt="Kyiv at night", caption="Library caption"
    )
    block = f":::image\nid: {picture.pk}\n"
    article = ArticleFactory(
        body=f"{block}caption: Our own caption\n:::\n\nBetween.\n\n{block}:::\n\nAfter."
    )
    page = parse(client.get(article.get_absolute_url()))
    figures = find_all(find(page, "div", class_="body"), "figure", class_="body-image")
    assert [find(figure, "img").attributes["alt"] for figure in figures] == ["Kyiv at night"] * 2
    assert [text(find(figure, "figcaption")) for figure in figures] == [
        "Our own caption",
        "Library caption",
    ]


def test_an_article_saved_without_an_excerpt_is_described_by_its_first_paragraph(client):
    article = ArticleFactory(
        excerpt="", body="Kharkiv was *shelled* overnight.\n\nThe mayor spoke at noon."
    )
    page = parse(client.get(article.get_absolute_url()))
    description = find(page, "meta", name="description")
    assert description.attributes["content"] == "Kharkiv was shelled overnight."


@pytest.mark.parametrize(
    ("pictures", "count"),
    [
        ("![Map of the front](/media/map.png)", 1),
        ("![Map](/media/map.png) ![Chart](/media/chart.png)", 2),
        ('<img src="/media/map.png" alt="Map">', 1),
        ('<IMG SRC="/media/map.png" ALT="Map">', 1),
    ],
)
def test_pictures_in_the_body_add_their_seconds_to_the_reading_time_on_the_page(
    client, pictures, count
):
    # 275 words read in a minute, so one picture more takes the time to two; 200 words and
    # one picture still read within the first minute, but not with two.
    for words in (200, 275):
        article = ArticleFactory(body=" ".join(["word"] * words) + f"\n\n{pictures}")
        meta = find(parse(client.get(article.get_absolute_url())), "p", class_="meta")
        assert f"{reading_minutes(words, count)} min read" in text(meta)
