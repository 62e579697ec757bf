"""Uploaded files served by Django: nothing in them runs on the site's origin."""

import pytest

from tests import files


@pytest.fixture
def media(settings):
    def put(name, content):
        path = settings.MEDIA_ROOT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return f"/media/{name}"

    return put


def csp_directives(response):
    return {part.strip() for part in response["Content-Security-Policy"].split(";")}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evil.html", files.EVIL_HTML),
        ("audio/2024/05/evil.svg", files.EVIL_SVG),
        ("notes.txt", b"<script>alert(1)</script>"),
        ("no-extension", files.EVIL_HTML),
    ],
)
def test_a_file_that_is_not_a_picture_or_audio_is_a_sandboxed_download(
    client, media, name, content
):
    response = client.get(media(name, content))
    assert response.status_code == 200
    assert response["Content-Disposition"] == "attachment"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert {"sandbox", "default-src 'none'"} <= csp_directives(response)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("articles/2024/05/photo.jpg", files.photo_with_metadata().read(), "image/jpeg"),
        ("renditions/photo-480.webp", b"RIFF....WEBP", "image/webp"),
        ("audio/2024/05/clip.wav", files.wav_bytes(), "audio/wav"),
        ("audio/2024/05/clip.ogg", files.ogg_opus_bytes(), "audio/ogg"),
        ("audio/2024/05/clip.m4a", files.m4a_bytes(), "audio/mp4"),
    ],
)
def test_pictures_and_audio_are_shown_inline_with_the_same_protection(
    client, media, name, content, content_type
):
    response = client.get(media(name, content))
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in csp_directives(response)
    assert b"".join(response.streaming_content) == content


@pytest.mark.django_db  # the not-found page draws the site's section menu
def test_a_missing_media_file_is_a_404(client, settings):
    assert client.get("/media/nothing-here.jpg").status_code == 404
