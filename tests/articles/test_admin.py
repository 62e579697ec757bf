import html
import re
import uuid

import pytest
from django.utils.html import strip_tags

from articles import rendering
from articles.models import Article, Status
from feed.models import FeedItem
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    DeskFactory,
    SectionFactory,
    image_file,
    management_form,
)

pytestmark = pytest.mark.django_db


def byline_forms(*authors):
    data = management_form("bylines", total=len(authors))
    for index, (position, author) in enumerate(authors):
        data[f"bylines-{index}-position"] = str(position)
        data[f"bylines-{index}-author"] = str(author.pk)
    return data


def article_form(**overrides):
    data = {
        "headline": "Media: Putin preparing to visit North Korea",
        "slug": "",
        "dek": "",
        "body": "Russian dictator Vladimir Putin announced his willingness to visit Pyongyang.",
        "status": Status.PUBLISHED,
        "published_at_0": "",
        "published_at_1": "",
        "excerpt": "",
        "hero_caption": "Vladimir Putin in Moscow.",
        "hero_credit": "Photo: Pool",
        "hero_alt": "Vladimir Putin speaking at a lectern",
        **management_form("corrections"),
        **management_form("narration"),
    }
    data.update(overrides)
    return data


def test_editor_publishes_an_article_with_a_person_and_a_desk_and_a_hero_image(
    editor_client, client
):
    rachel = AuthorFactory(name="Rachel Amran")
    desk = DeskFactory()
    section = SectionFactory(name="Ukraine news")
    data = article_form(section=section.pk, hero_image=image_file())
    data.update(byline_forms((1, rachel), (2, desk)))
    response = editor_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    article = Article.objects.get()
    assert article.slug == "media-putin-preparing-to-visit-north-korea"
    assert article.status == Status.PUBLISHED and article.published_at is not None
    assert article.ordered_authors == [rachel, desk]
    assert [b.position for b in article.bylines.all()] == [0, 1]
    assert article.hero_image.name.endswith(".jpg")

    page = client.get("/news/media-putin-preparing-to-visit-north-korea/")
    assert page.status_code == 200
    assert b"Rachel Amran" in page.content and b"The Kyiv Independent news desk" in page.content
    stem = article.hero_image.name.rsplit(".", 1)[0]
    assert f"/media/renditions/{stem}-800.webp 800w".encode() in page.content


def test_a_file_that_is_not_an_image_is_refused_as_hero(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = article_form(hero_image=SimpleUploadedFile("x.jpg", b"not an image", "image/jpeg"))
    data.update(byline_forms())
    response = editor_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 200
    assert "hero_image" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_a_hero_image_without_alt_text_is_refused(editor_client):
    data = article_form(hero_image=image_file(), hero_alt="")
    data.update(byline_forms())
    response = editor_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 200
    assert "hero_alt" in response.context["adminform"].form.errors


def test_a_malformed_card_is_shown_to_the_editor_not_saved(editor_client):
    data = article_form(body="Intro.\n\n:::card\ntitle: Unclosed")
    data.update(byline_forms())
    response = editor_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 200
    assert "Line 3" in str(response.context["adminform"].form.errors["body"])
    assert not Article.objects.exists()


def test_article_list_shows_filters_search_and_thumbnails(editor_client):
    ArticleFactory(headline="With a picture", hero_image=image_file(), hero_alt="alt")
    ArticleFactory(headline="Without", authors=[AuthorFactory(name="Elsa Court")])
    response = editor_client.get("/admin/articles/article/", {"q": "picture"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "With a picture" in content and "Without" not in content
    assert 'width="80"' in content
    response = editor_client.get("/admin/articles/article/", {"status__exact": "published"})
    assert response.status_code == 200 and "By status" in response.content.decode()
    assert "By published at" in response.content.decode()


def test_change_form_links_to_the_public_page(editor_client):
    article = ArticleFactory()
    response = editor_client.get(f"/admin/articles/article/{article.pk}/change/")
    assert b"View on site" in response.content


def test_authors_are_found_by_autocomplete(editor_client):
    AuthorFactory(name="Rachel Amran")
    response = editor_client.get(
        "/admin/autocomplete/",
        {
            "term": "rach",
            "app_label": "articles",
            "model_name": "articleauthor",
            "field_name": "author",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Rachel Amran"]


def test_an_editor_posts_a_feed_item_with_the_short_form(editor_client):
    article = ArticleFactory()
    response = editor_client.post(
        "/admin/feed/feeditem/add/",
        {
            "headline": "Russian seaport terminal on fire",
            "summary": "The terminal caught fire in the port of Ust-Luga.",
            "article": article.pk,
            "published_at_0": "",
            "published_at_1": "",
            "status": "published",
        },
    )
    assert response.status_code == 302
    item = FeedItem.objects.get()
    assert item.article == article and item.status == "published"
    assert item in FeedItem.objects.published()


def test_an_author_photo_must_be_an_image(editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from articles.models import Author

    form = {"name": "Elsa Court", "slug": "", "kind": "person", "is_active": "on"}
    bad = SimpleUploadedFile("elsa.png", b"GIF89a-but-not-really", content_type="image/png")
    response = editor_client.post("/admin/articles/author/add/", {**form, "photo": bad})
    assert response.status_code == 200
    assert "photo" in response.context["adminform"].form.errors
    response = editor_client.post(
        "/admin/articles/author/add/", {**form, "photo": image_file("elsa.png", fmt="PNG")}
    )
    assert response.status_code == 302
    assert Author.objects.get().photo.name.endswith(".png")


def errors_on_page(response):
    """The error messages the change form shows, as the editor reads them."""
    items = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.content.decode())
    texts = [html.unescape(strip_tags(item)) for block in items for item in block.split("</li>")]
    return [text for text in texts if text]


def errors_adding_article_with(editor_client, body):
    """Add an article with this body through the admin; the errors the form then shows."""
    data = article_form(body=body)
    data.update(byline_forms())
    response = editor_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 200
    assert not Article.objects.exists()
    return errors_on_page(response)


def test_a_body_over_the_limit_is_refused_with_the_limit_and_its_length(editor_client):
    errors = errors_adding_article_with(editor_client, "Words. " * 28_589 + "End.")
    assert (
        "The body is 200,127 characters long; the limit is 200,000. "
        "Split it into several articles." in errors
    )


def test_saving_an_article_and_opening_its_page_reads_its_markdown_once(
    editor_client, reader, monkeypatch
):
    body = (
        f"**Kyiv** ({uuid.uuid4()}) — see [the report](https://example.com/report).\n\n"
        "- Shells\n- *Drones*\n\n![A map](/media/map.png)\n\n*[HUR]: Military intelligence\n\n"
        "HUR said so."
    )
    read = []
    parse = rendering.MARKDOWN.parse
    monkeypatch.setattr(
        rendering.MARKDOWN, "parse", lambda text, env=None: read.append(text) or parse(text, env)
    )
    data = article_form(body=body)
    data.update(byline_forms((1, AuthorFactory())))

    response = editor_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, errors_on_page(response)
    page = reader.get(Article.objects.get().get_absolute_url())

    assert '<abbr title="Military intelligence">HUR</abbr> said so.' in page.content.decode()
    assert read.count(body) == 1
    assert len(read) == len(set(read)), "a piece of the body was read twice"


def test_a_body_too_full_of_markdown_is_refused_and_not_previewed(editor_client):
    body = "Intro.\n\n" + "![" * 10_000
    message = (
        "Line 3: here the body passes 5,000 line breaks and Markdown signs ([ ] * _ < > & # - : "
        "| and the like); it has 20,002, more than any article needs, and each takes time to "
        "show. Split it into several articles."
    )
    assert message in errors_adding_article_with(editor_client, body)

    preview = editor_client.post("/admin/articles/article/desk/preview/", {"body": body})
    assert preview.json() == {"html": "", "errors": [message]}


def test_a_style_tag_in_the_body_is_refused_with_its_line(editor_client):
    body = "One.\n\nTwo.\n\nThree.\n\n<STYLE >p { display: none }\n\nThe rest of the story."
    assert (
        "Line 7: “<style>” is not allowed in the body; everything after it would be lost."
        in errors_adding_article_with(editor_client, body)
    )


def test_a_card_link_to_another_host_in_disguise_is_refused_with_its_line(editor_client):
    body = "Intro.\n\n:::card\ntitle: Related\nlink: /\\evil.example/x\n:::"
    assert (
        "Line 3: the card has a link, “/\\evil.example/x”, that is neither an http(s) or "
        "mailto address nor a path on this site." in errors_adding_article_with(editor_client, body)
    )


@pytest.mark.django_db
def test_a_change_form_sent_back_with_an_empty_headline_and_slug_shows_the_errors(editor_client):
    from tests.factories import ArticleFactory, change_form, change_url

    article = ArticleFactory()
    response = editor_client.post(change_url(article), change_form(article, headline="", slug=""))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["headline"] == ["This field is required."]
