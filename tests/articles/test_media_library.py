"""The media library: pictures uploaded once, checked and cleaned, placed in bodies by number."""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from articles import rendering
from articles.models import MediaImage, Status
from tests import files
from tests.factories import article_in, change_form, change_url, image_file
from tests.html import find, find_all, parse

pytestmark = pytest.mark.django_db


def upload(client, upload_file, **fields):
    data = {"image": upload_file, "alt": "Rescuers at the site", "caption": "", "credit": ""}
    data.update(fields)
    return client.post("/admin/articles/mediaimage/add/", data)


def test_an_editor_uploads_a_picture_stored_without_its_metadata_with_renditions(editor_client):
    response = upload(editor_client, files.photo_with_metadata("phone.jpg", size=(1600, 900)))
    assert response.status_code == 302

    picture = MediaImage.objects.get()
    with default_storage.open(picture.image.name) as handle:
        data = handle.read()
    assert files.ARTIST.encode() not in data
    assert dict(Image.open(io.BytesIO(data)).getexif()) == {}
    assert (picture.width, picture.height) == (1600, 900)
    assert [item["width"] for item in picture.items] == [480, 800, 1200]
    assert all(default_storage.exists(item["webp"]) for item in picture.items)
    assert picture.uploaded_by.username == "editor"


def test_a_file_that_is_not_a_picture_is_refused_by_the_upload_checks(editor_client):
    response = upload(editor_client, files.upload("notes.jpg", b"%PDF-1.7 not a picture"))
    assert response.status_code == 200
    assert "It looks like a PDF document" in str(response.context["adminform"].form.errors["image"])
    assert not MediaImage.objects.exists()


def test_a_picture_without_alt_text_is_refused(editor_client):
    response = upload(editor_client, image_file(), alt="")
    assert response.status_code == 200
    assert "alt" in response.context["adminform"].form.errors


def test_the_library_lists_thumbnails_and_the_lines_to_put_each_picture_in_a_body(editor_client):
    upload(editor_client, image_file(size=(900, 600)), caption="Kyiv at night")
    picture = MediaImage.objects.get()
    page = parse(editor_client.get("/admin/articles/mediaimage/"))
    thumbnail = find(page, "img", class_="thumbnail")
    assert thumbnail.attributes["src"] == default_storage.url(picture.items[0]["fallback"])
    assert find(page, "code", class_="image-block").html.endswith(
        f":::image\nid: {picture.pk}\n:::</code>"
    )


def test_deleting_a_picture_removes_its_renditions(
    editor_client, django_capture_on_commit_callbacks
):
    upload(editor_client, image_file(size=(900, 600)))
    picture = MediaImage.objects.get()
    names = [item["webp"] for item in picture.items]
    with django_capture_on_commit_callbacks(execute=True):
        picture.delete()
    assert not any(default_storage.exists(name) for name in names)


def test_an_image_block_is_drawn_on_the_public_page_as_a_responsive_picture(editor_client, client):
    upload(editor_client, image_file(size=(1600, 1000)), caption="Library caption", credit="AFP")
    picture = MediaImage.objects.get()
    article = article_in(
        Status.PUBLISHED,
        owner=None,
        body=(
            f"First paragraph.\n\n:::image\nid: {picture.pk}\ncaption: Our own caption\n:::"
            "\n\nLast."
        ),
    )

    page = parse(client.get(f"/news/{article.slug}/"))

    figure = find(page, "figure", class_="body-image")
    img = find(figure, "img")
    assert img.attributes["alt"] == "Rescuers at the site"
    assert (img.attributes["width"], img.attributes["height"]) == ("1200", "750")
    assert "800w" in img.attributes["srcset"]
    assert find(figure, "source", type="image/webp")
    assert "Our own caption" in figure.html and "AFP" in figure.html
    assert "Library caption" not in figure.html


def test_an_image_block_naming_no_picture_is_refused_with_its_line(editor_client):
    article = article_in(Status.DRAFT, owner=None)
    body = "Intro.\n\n:::image\nid: 999\n:::"
    response = editor_client.post(change_url(article), change_form(article, body=body))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == [
        "Line 3: there is no picture number 999 in the media library; choose one with "
        "“Insert picture”."
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            ":::image\ncaption: x\n:::",
            "Line 1: the image needs an id: line with the number of a picture in the media "
            "library.",
        ),
        (
            "Text.\n:::image\nid: twelve\n:::",
            "Line 2: the image's id: must be the number of a picture in the media library "
            "(got 'twelve').",
        ),
        (
            ":::image\nid: 3\nlink: https://example.com\n:::",
            "Line 3: an image line must start with one of id:, caption: "
            "(got 'link: https://example.com').",
        ),
        (":::image\nid: 3", "Line 1: the image opened here has no closing ':::' line."),
    ],
)
def test_a_malformed_image_block_is_refused_saying_what_and_where(body, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        rendering.validate_body(body)
    assert caught.value.messages == [message]


def test_a_picture_counts_toward_the_reading_time_and_its_caption_is_read():
    body = "Words.\n\n:::image\nid: 1\ncaption: Firefighters at work\n:::"
    assert rendering.count_images(body) == 1
    assert "Firefighters at work" in rendering.plain_text(body)


def test_a_picture_removed_from_the_library_leaves_no_hole_on_the_page(client):
    article = article_in(Status.PUBLISHED, owner=None, body="Before.\n\n:::image\nid: 41\n:::")
    page = parse(client.get(f"/news/{article.slug}/"))
    assert not find_all(page, "figure", class_="body-image")
    assert "Before." in page.html
