"""Per-article overrides for search engines and shared links: title, description, image."""

import io
import json
import re

import pytest
from PIL import Image

from tests import files
from tests.factories import ArticleFactory, AuthorFactory, change_form, change_url, image_file
from tests.html import find, find_all, parse, text

pytestmark = pytest.mark.django_db

SITE = "http://127.0.0.1:8000"


def metadata(response):
    """What search engines and social networks read in the page's head."""
    head = find(parse(response), "head")
    tags = {}
    for meta in find_all(head, "meta"):
        name = meta.attributes.get("name") or meta.attributes.get("property")
        tags[name] = meta.attributes.get("content")
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    return text(find(head, "title")), tags, json.loads(script.group(1))


@pytest.fixture
def article():
    return ArticleFactory(
        headline="Media: Putin preparing to visit North Korea",
        dek="The visit would be his first since 2000.",
        hero_image=image_file("putin.jpg"),
        hero_alt="Vladimir Putin at a lectern",
        authors=[AuthorFactory(name="Rachel Amran")],
    )


def test_without_overrides_the_headline_and_dek_and_hero_picture_are_used(client, article):
    title, tags, json_ld = metadata(client.get(article.get_absolute_url()))
    assert title == "Media: Putin preparing to visit North Korea | The Kyiv Independent"
    assert tags["description"] == tags["og:description"] == tags["twitter:description"]
    assert tags["description"] == "The visit would be his first since 2000."
    assert tags["og:title"] == tags["twitter:title"] == article.headline
    assert json_ld["headline"] == article.headline
    assert "/renditions/" in tags["og:image"] and json_ld["image"][0] == tags["og:image"]


def test_seo_title_and_description_replace_them_in_every_tag(client, article):
    article.seo_title = "Putin to visit Pyongyang"
    article.seo_description = "Kremlin confirms plans for a North Korea trip."
    article.save()
    response = client.get(article.get_absolute_url())
    title, tags, json_ld = metadata(response)

    assert title == "Putin to visit Pyongyang | The Kyiv Independent"
    assert tags["og:title"] == tags["twitter:title"] == json_ld["headline"]
    assert json_ld["headline"] == "Putin to visit Pyongyang"
    for name in ("description", "og:description", "twitter:description"):
        assert tags[name] == "Kremlin confirms plans for a North Korea trip.", name
    assert json_ld["description"] == "Kremlin confirms plans for a North Korea trip."
    # Readers still read the headline and dek on the page itself.
    page = parse(response)
    assert text(find(page, "h1")) == article.headline
    assert text(find(page, "p", "dek")) == article.dek


def test_a_social_image_uploaded_in_the_admin_is_shared_without_its_metadata(
    editor_client, reader, article
):
    photo = files.photo_with_metadata("share-card.jpg", size=(1200, 630))
    data = change_form(article, hero_alt=article.hero_alt, social_image=photo)
    response = editor_client.post(change_url(article), data)
    assert response.status_code == 302, response.context["adminform"].form.errors

    article.refresh_from_db()
    shared = article.social_image
    _, tags, json_ld = metadata(reader.get(article.get_absolute_url()))
    assert tags["og:image"] == tags["twitter:image"] == f"{SITE}{shared.url}"
    assert tags["twitter:card"] == "summary_large_image"
    assert json_ld["image"] == [f"{SITE}{shared.url}"]
    stored = b"".join(reader.get(shared.url).streaming_content)
    assert files.ARTIST.encode() not in stored
    assert dict(Image.open(io.BytesIO(stored)).getexif()) == {}
    # The picture on the page is still the hero.
    hero = find(find(parse(reader.get(article.get_absolute_url())), "figure", "hero"), "img")
    assert "/renditions/" in hero.attributes["src"]


def test_a_social_image_that_is_not_a_picture_is_refused_in_the_form(editor_client, article):
    upload = files.upload("card.png", files.EVIL_HTML, "image/png")
    response = editor_client.post(
        change_url(article), change_form(article, hero_alt=article.hero_alt, social_image=upload)
    )
    assert response.status_code == 200
    page = response.text
    row = page.index('class="form-row errors field-social_image')
    assert "This file is not an image Pillow can read." in page[row : page.index("</ul>", row)]
    article.refresh_from_db()
    assert not article.social_image


def test_an_seo_title_too_long_for_the_field_is_refused_with_its_limit(editor_client, article):
    response = editor_client.post(
        change_url(article), change_form(article, hero_alt=article.hero_alt, seo_title="x" * 121)
    )
    assert response.status_code == 200
    assert "Ensure this value has at most 120 characters (it has 121)." in response.text
