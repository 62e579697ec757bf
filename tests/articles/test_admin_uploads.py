"""Uploads through the admin's forms, as contributors and editors use them."""

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from articles.models import Article, Author, Status
from tests import files
from tests.factories import ArticleFactory, AuthorFactory, change_form, change_url, image_file

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/article/add/"


@pytest.fixture
def writer(client, user_in_role):
    client.force_login(user_in_role("Contributor", "writer"))
    return client


def draft_form(**uploads):
    return change_form(
        Article(headline="Power restored in Kharkiv", status=Status.DRAFT),
        hero_alt="A street at night",
        **uploads,
    )


def field_errors(response, field):
    """The error list the page shows under `field`."""
    page = response.content.decode()
    row = page.index(f'class="form-row errors field-{field}')
    start = page.index('<ul class="errorlist', row)
    return page[start : page.index("</ul>", start)]


def stored_files(settings):
    return sorted(str(p) for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())


def test_a_contributor_uploading_html_as_audio_is_told_it_is_not_audio(writer, settings):
    upload = files.upload("interview.mp3", files.EVIL_HTML, "audio/mpeg")
    response = writer.post(ADD_URL, draft_form(audio=upload))

    assert response.status_code == 200
    assert "This is an HTML file, not audio." in field_errors(response, "audio")
    assert not Article.objects.exists() and stored_files(settings) == []


def test_a_contributor_uploading_an_svg_as_hero_image_is_told_it_is_not_a_picture(writer):
    upload = files.upload("map.png", files.EVIL_SVG, "image/png")
    response = writer.post(ADD_URL, draft_form(hero_image=upload))

    errors = field_errors(response, "hero_image")
    assert "This file is not an image Pillow can read. It looks like an SVG drawing." in errors
    assert not Article.objects.exists()


def test_an_image_bomb_is_refused_in_the_form(writer):
    upload = files.upload("map.png", files.huge_blank_png(13_300, 13_300), "image/png")
    response = writer.post(ADD_URL, draft_form(hero_image=upload))
    assert "13,300 × 13,300 pixels" in field_errors(response, "hero_image")


def test_audio_over_the_limit_is_refused_in_the_form(writer, settings):
    settings.UPLOAD_AUDIO_MAX_MB = 1
    upload = files.upload("long.wav", files.wav_bytes(seconds=70), "audio/wav")
    response = writer.post(ADD_URL, draft_form(audio=upload))
    assert "This audio file is 1.1 MB; the limit is 1 MB." in field_errors(response, "audio")


def test_the_form_says_what_each_upload_may_be(writer):
    page = writer.get(ADD_URL).content.decode()
    assert "A JPEG, PNG, WebP or GIF picture of at most 20 MB and 40 megapixels." in page
    assert "An MP3, M4A, Ogg (Vorbis or Opus) or WAV file of at most 50 MB." in page


def test_a_contributors_photo_is_published_without_its_location(writer, client):
    upload = files.photo_with_metadata("IMG_0042.JPG")
    response = writer.post(ADD_URL, draft_form(hero_image=upload))
    assert response.status_code == 302, response.context["adminform"].form.errors

    article = Article.objects.get()
    assert article.hero_image.name.endswith("/IMG_0042.jpg")
    original = client.get(article.hero_image.url)
    data = b"".join(original.streaming_content)
    assert files.ARTIST.encode() not in data
    assert dict(Image.open(io.BytesIO(data)).getexif()) == {}


@pytest.mark.parametrize(
    ("upload", "saved"),
    [
        (lambda: image_file("new.png", fmt="PNG"), True),
        (lambda: files.upload("new.png", files.EVIL_HTML), False),
    ],
    ids=["a picture", "an HTML file"],
)
def test_replacing_the_hero_image_removes_the_old_one_only_once_the_new_one_is_saved(
    editor_client, django_capture_on_commit_callbacks, upload, saved
):
    article = ArticleFactory(hero_image=image_file(), hero_alt="One", status=Status.DRAFT)
    old = article.hero_image.name
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            change_url(article), change_form(article, hero_image=upload(), hero_alt="Two")
        )
    assert response.status_code == (302 if saved else 200)
    article.refresh_from_db()
    assert article.hero_image.name.endswith("/new.png" if saved else "/photo.jpg")
    assert default_storage.exists(article.hero_image.name)
    assert default_storage.exists(old) is not saved


def test_an_editor_removing_the_audio_deletes_the_file(
    editor_client, django_capture_on_commit_callbacks
):
    article = ArticleFactory(
        audio=files.upload("clip.ogg", files.ogg_opus_bytes()), authors=[AuthorFactory()]
    )
    name = article.audio.name
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            change_url(article), change_form(article, **{"audio-clear": "on"})
        )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert not article.audio and not default_storage.exists(name)


def test_an_author_photo_is_checked_in_the_author_form(editor_client):
    data = {"name": "Elsa Court", "slug": "", "kind": "person", "role": "", "bio": "", "links": ""}
    data["photo"] = files.upload("elsa.jpg", files.EVIL_HTML, "image/jpeg")
    response = editor_client.post("/admin/articles/author/add/", data)
    assert "It looks like an HTML file." in field_errors(response, "photo")
    assert not Author.objects.exists()


def test_restoring_a_revision_whose_picture_was_replaced_keeps_the_current_picture(
    editor_client, django_capture_on_commit_callbacks
):
    from reversion.models import Version

    article = ArticleFactory(hero_image=image_file(), hero_alt="One", status=Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        data = change_form(article, hero_image=image_file("new.jpg"), hero_alt="Two")
        editor_client.post(change_url(article), data)
    article.refresh_from_db()
    current = article.hero_image.name
    first = Version.objects.get_for_object(article).last()
    url = f"/admin/articles/article/{article.pk}/history/{first.pk}/"
    form = editor_client.get(url).context["adminform"].form
    data = change_form(article, hero_alt="One", loaded_version=form["loaded_version"].value())

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.hero_image.name == current and default_storage.exists(current)
    assert editor_client.get(f"/preview/{article.pk}/").status_code == 200
