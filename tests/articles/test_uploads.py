"""Uploaded pictures and audio are judged by their content and stored clean; old files go."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from PIL import Image, ImageFile

from articles import images, uploads
from articles.models import Article, Author, HeroRenditions
from tests import files
from tests.factories import ArticleFactory, image_file

pytestmark = pytest.mark.django_db


def refusal(validator, file):
    with pytest.raises(ValidationError) as caught:
        validator(file)
    return " ".join(caught.value.messages)


def stored_image(field_file):
    with default_storage.open(field_file.name) as handle:
        data = handle.read()
    return data, Image.open(io.BytesIO(data))


def rendition_names(article):
    return images.rendition_files(article.hero_renditions.items)


# Pictures ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_the_stored_original_of_a_hero_photo_keeps_no_exif_gps_or_profile(fmt):
    upload = files.photo_with_metadata(f"phone.{fmt.lower()}", fmt)
    assert files.ARTIST.encode() in upload.read()
    article = ArticleFactory(hero_image=upload, hero_alt="A street")

    data, image = stored_image(article.hero_image)
    assert files.ARTIST.encode() not in data and b"Shot at home" not in data
    assert dict(image.getexif()) == {}
    assert not {"exif", "icc_profile", "xmp", "comment"} & set(image.info)
    assert image.format == fmt and image.size == (40, 30)


def test_an_author_photo_is_stored_without_its_exif_too():
    author = Author.objects.create(name="Elsa Court", photo=files.photo_with_metadata())
    data, image = stored_image(author.photo)
    assert files.ARTIST.encode() not in data and dict(image.getexif()) == {}


def stored_before_the_fix(upload, folder):
    """A picture stored as uploads were before they were re-encoded: byte for byte."""
    return default_storage.save(f"{folder}/{upload.name}", upload)


def strip_picture_metadata(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("strip_picture_metadata", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_strip_picture_metadata_removes_the_gps_position_from_photos_stored_before(
    django_capture_on_commit_callbacks,
):
    article = ArticleFactory(hero_image=image_file(), hero_alt="A street")
    old_hero = stored_before_the_fix(files.photo_with_metadata(), "articles/2023/05")
    Article.objects.filter(pk=article.pk).update(hero_image=old_hero)
    HeroRenditions.objects.filter(article=article).update(source=old_hero)
    author = Author.objects.create(name="Elsa Court")
    old_photo = stored_before_the_fix(files.photo_with_metadata("elsa.png", "PNG"), "authors/2023")
    Author.objects.filter(pk=author.pk).update(photo=old_photo)

    with django_capture_on_commit_callbacks(execute=True):
        said = strip_picture_metadata()

    article.refresh_from_db()
    data, image = stored_image(article.hero_image)
    assert files.ARTIST.encode() not in data and b"Shot at home" not in data
    assert dict(image.getexif()) == {} and image.size == (40, 30)
    assert not default_storage.exists(old_hero)
    # Its renditions, made from the same pixels, still count as made from it.
    assert HeroRenditions.objects.get(article=article).source == article.hero_image.name
    author.refresh_from_db()
    data, image = stored_image(author.photo)
    assert files.ARTIST.encode() not in data and dict(image.getexif()) == {}
    assert not default_storage.exists(old_photo)
    assert f"{old_hero}: stripped EXIF, GPS position, XMP, comment, colour profile; now " in said
    assert "Pictures: 2 stored, 2 stripped, 0 already clean, 0 missing, 0 unreadable." in said

    assert "2 stored, 0 stripped, 2 already clean" in strip_picture_metadata()
    assert Article.objects.get().hero_image.name == article.hero_image.name


def test_strip_picture_metadata_dry_run_names_the_photos_and_changes_nothing():
    old = stored_before_the_fix(files.photo_with_metadata(), "articles/2023/05")
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(hero_image=old)

    said = strip_picture_metadata("--dry-run")

    assert f"{old}: carries EXIF, GPS position, XMP, comment, colour profile; would be" in said
    assert "Pictures: 1 stored, 1 would be stripped" in said
    assert Article.objects.get().hero_image.name == old
    data, _ = stored_image(Article.objects.get().hero_image)
    assert files.ARTIST.encode() in data


def test_strip_picture_metadata_leaves_a_file_it_cannot_read_as_it_was_and_says_so():
    old = default_storage.save("articles/2023/05/clip.jpg", files.upload("clip.jpg", b"GIF89a"))
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(hero_image=old)

    errors = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("strip_picture_metadata", stdout=io.StringIO(), stderr=errors)

    assert f"{old}: left as it is. This file is not an image" in errors.getvalue()
    assert "1 stored pictures could not be read" in str(failed.value)
    assert Article.objects.get().hero_image.name == old and default_storage.exists(old)


def test_a_photo_taken_sideways_is_stored_upright():
    # Orientation 6: the camera was turned, and viewers rotate the picture 90° clockwise.
    article = ArticleFactory(
        hero_image=files.photo_with_metadata(orientation=6), hero_alt="A street"
    )
    _, image = stored_image(article.hero_image)
    assert image.size == (30, 40)
    red, green, blue = image.convert("RGB").getpixel((25, 5))  # the blue corner, now top-right
    assert blue > 150 and red < 100


def test_a_20000_by_20000_png_is_refused_without_decoding_its_pixels(monkeypatch):
    bomb = files.huge_blank_png(20_000, 20_000)
    assert len(bomb) < 100_000
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded"))
    message = refusal(uploads.validate_image, files.upload("map.png", bomb))
    assert "far too many pixels; the limit is 40 megapixels" in message


def test_a_picture_just_under_pillows_own_limit_is_refused_by_ours(monkeypatch):
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("decoded"))
    bomb = files.upload("map.png", files.huge_blank_png(13_300, 13_300))
    assert refusal(uploads.validate_image, bomb) == (
        "This picture is 13,300 × 13,300 pixels (176.9 megapixels); the limit is 40 "
        "megapixels. Make it smaller and upload it again."
    )


def test_the_pixel_limit_is_a_setting(settings):
    settings.UPLOAD_IMAGE_MAX_MEGAPIXELS = 1
    uploads.validate_image(image_file(size=(1000, 1000)))
    message = refusal(uploads.validate_image, image_file(size=(1001, 1000)))
    assert "1,001 × 1,000 pixels (1.0 megapixels); the limit is 1 megapixels" in message
    one_over = image_file(size=(101, 9901))  # 1,000,001 pixels
    assert "the limit is 1 megapixels" in refusal(uploads.validate_image, one_over)


def test_a_picture_over_the_size_limit_is_refused(settings):
    settings.UPLOAD_IMAGE_MAX_MB = 1
    noise = Image.frombytes("L", (1100, 1000), bytes(range(256)) * 4297)
    buffer = io.BytesIO()
    noise.save(buffer, "PNG", compress_level=0)
    message = refusal(uploads.validate_image, files.upload("noise.png", buffer.getvalue()))
    assert message == "This picture is 1.1 MB; the limit is 1 MB. Upload a smaller file."


@pytest.mark.parametrize(
    ("content", "seen"),
    [
        (files.EVIL_HTML, "It looks like an HTML file."),
        (files.EVIL_SVG, "It looks like an SVG drawing."),
        (b"%PDF-1.7\n", "It looks like a PDF document."),
        (files.wav_bytes(), "It looks like WAV audio."),
    ],
)
def test_a_file_that_is_not_a_picture_is_refused_saying_what_it_is(content, seen):
    message = refusal(uploads.validate_image, files.upload("photo.jpg", content, "image/jpeg"))
    assert message == (
        f"This file is not an image Pillow can read. {seen} "
        "Upload a JPEG, PNG, WebP or GIF picture."
    )


def test_a_picture_cut_short_is_refused_as_damaged():
    whole = files.photo_with_metadata(size=(400, 300)).read()
    file = files.upload("cut.jpg", whole[: len(whole) // 2])
    with pytest.raises(ValidationError, match="This JPEG picture is damaged or incomplete"):
        uploads.reencoded_image(file)


def test_a_png_named_jpg_is_stored_as_png():
    article = ArticleFactory(hero_image=image_file("photo.jpg", fmt="PNG"), hero_alt="A street")
    assert article.hero_image.name.endswith("/photo.png")
    assert stored_image(article.hero_image)[1].format == "PNG"


def test_an_animated_gif_keeps_its_first_frame_only():
    article = ArticleFactory(
        hero_image=files.upload("anim.gif", files.animated_gif()), hero_alt="A flag"
    )
    _, image = stored_image(article.hero_image)
    assert image.format == "GIF" and getattr(image, "n_frames", 1) == 1
    assert image.convert("RGB").getpixel((5, 5)) == (255, 0, 0)


# Audio -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "stored"),
    [
        ("clip.mp3", files.wav_bytes(), ".wav"),
        ("clip.bin", files.ogg_opus_bytes(), ".ogg"),
        ("clip.mp3", files.mp3_bytes(), ".mp3"),
        ("clip", files.mp3_bytes(tag=False), ".mp3"),
        ("clip.mp4", files.m4a_bytes(), ".m4a"),
    ],
)
def test_real_audio_is_accepted_and_stored_with_the_extension_of_its_kind(name, content, stored):
    uploads.validate_audio(files.upload(name, content))
    article = ArticleFactory(audio=files.upload(name, content))
    assert article.audio.name.startswith("audio/") and article.audio.name.endswith(f"/clip{stored}")
    with default_storage.open(article.audio.name) as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (files.EVIL_HTML, "This is an HTML file, not audio."),
        (files.EVIL_SVG, "This is an SVG drawing, not audio."),
        (files.photo_with_metadata().read(), "This is a JPEG picture, not audio."),
        (b"\x00\x01\x02\x03" * 100, "This file is not audio the newsroom can play."),
        (files.id3_tag() + files.EVIL_HTML, "starts with an MP3 tag but no MP3 audio follows"),
        (
            files.ogg_opus_bytes().replace(b"OpusHead", b"OpusHeaX"),
            "This Ogg file holds neither Vorbis nor Opus audio",
        ),
    ],
)
def test_a_file_that_is_not_audio_is_refused_saying_what_it_is(content, message):
    refused = refusal(uploads.validate_audio, files.upload("clip.mp3", content, "audio/mpeg"))
    assert message in refused
    assert "Upload an MP3, M4A, Ogg (Vorbis or Opus) or WAV file." in refused


def test_audio_over_the_size_limit_is_refused(settings):
    settings.UPLOAD_AUDIO_MAX_MB = 1
    uploads.validate_audio(files.upload("short.wav", files.wav_bytes(seconds=60)))  # 0.96 MB
    long = files.upload("long.wav", files.wav_bytes(seconds=70))
    assert refusal(uploads.validate_audio, long) == (
        "This audio file is 1.1 MB; the limit is 1 MB. Upload a smaller file."
    )


def test_a_file_stored_before_is_not_checked_again_on_each_save():
    article = ArticleFactory(audio=files.upload("clip.wav", files.wav_bytes()))
    with default_storage.open(article.audio.name, "wb") as handle:
        handle.write(files.EVIL_HTML)
    article.headline = "Edited"
    article.full_clean()


# Files let go of -------------------------------------------------------------------------


def test_a_replaced_hero_image_and_its_renditions_are_deleted_after_commit(
    django_capture_on_commit_callbacks,
):
    article = ArticleFactory(hero_image=image_file(size=(900, 600)), hero_alt="One")
    old = [article.hero_image.name, *rendition_names(article)]
    with django_capture_on_commit_callbacks() as callbacks:
        article.hero_image = image_file("second.jpg", size=(1000, 500))
        article.save()
        assert all(default_storage.exists(name) for name in old)  # not before the commit
    for callback in callbacks:
        callback()
    article.refresh_from_db()
    assert not any(default_storage.exists(name) for name in old)
    assert all(default_storage.exists(name) for name in rendition_names(article))
    assert default_storage.exists(article.hero_image.name)


@pytest.mark.parametrize("failing", ["the article's own save", "a later write"])
def test_nothing_is_deleted_when_the_save_fails(django_capture_on_commit_callbacks, failing):
    ArticleFactory(slug="taken")
    article = ArticleFactory(hero_image=image_file(), hero_alt="One")
    old = [article.hero_image.name, *rendition_names(article)]
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(IntegrityError), transaction.atomic():
            article.hero_image = image_file("second.jpg")
            if failing == "a later write":
                article.save()
                ArticleFactory(slug="taken")
            else:
                article.slug = "taken"
                article.save()
    assert all(default_storage.exists(name) for name in old)


def test_removed_audio_is_deleted_after_commit(django_capture_on_commit_callbacks):
    article = ArticleFactory(audio=files.upload("clip.wav", files.wav_bytes()))
    name = article.audio.name
    with django_capture_on_commit_callbacks(execute=True):
        article.audio = ""
        article.save()
    assert not default_storage.exists(name)


def test_a_deleted_article_takes_its_files_and_renditions_with_it(
    django_capture_on_commit_callbacks,
):
    article = ArticleFactory(
        hero_image=image_file(), hero_alt="One", audio=files.upload("a.ogg", files.ogg_opus_bytes())
    )
    names = [article.hero_image.name, article.audio.name, *rendition_names(article)]
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert not HeroRenditions.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_a_file_another_article_still_uses_is_kept(django_capture_on_commit_callbacks):
    article = ArticleFactory(audio=files.upload("clip.wav", files.wav_bytes()))
    copy = ArticleFactory(audio=article.audio.name)
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert default_storage.exists(copy.audio.name)
    assert Article.objects.get().audio.name == copy.audio.name


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"<!-- saved page -->\n<p>clip</p>", "an HTML file"),
        (b"<body onload=alert(1)>", "an HTML file"),
        (b"clip notes <iframe src=https://evil.example></iframe>", "an HTML file"),
        (b'<?xml version="1.0"?><rss></rss>', "an XML file"),
        (b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00", "a BMP picture"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "a WebP picture"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "a HEIC or AVIF picture"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", "a HEIC or AVIF picture"),
        (b"Interview transcript\r\n\tQ: When did the trains stop?\n", "a text file"),
    ],
)
def test_audio_refused_for_what_it_is_names_it(content, what):
    refused = refusal(uploads.validate_audio, files.upload("clip.mp3", content, "audio/mpeg"))
    assert refused.startswith(f"This is {what}, not audio.")


@pytest.mark.parametrize(
    "content",
    [
        b"BM\x36\x00\x0c\x00\x00\x00\x00\x01\x36\x00\x00\x00",  # no BMP: its reserved bytes are set
        b"RIFF\x24\x00\x00\x00WEBX",
        b"Interview transcript\x01\x02 with control bytes",
    ],
)
def test_a_file_like_no_known_kind_is_refused_without_a_guess(content):
    refused = refusal(uploads.validate_audio, files.upload("clip.mp3", content, "audio/mpeg"))
    assert refused.startswith("This file is not audio the newsroom can play.")


def test_an_upload_of_exactly_the_limit_is_accepted_and_a_byte_more_refused(settings):
    settings.UPLOAD_AUDIO_MAX_MB = 1
    header = files.wav_bytes(seconds=0)
    exact = header + b"\x00" * (1_000_000 - len(header))
    uploads.validate_audio(files.upload("exact.wav", exact))
    refused = refusal(uploads.validate_audio, files.upload("over.wav", exact + b"\x00"))
    assert refused == "This audio file is 1.0 MB; the limit is 1 MB. Upload a smaller file."


# The MPEG audio standard's bit rates (kbit/s, by bitrate index 1 to 14) and sample rates, as
# ISO/IEC 11172-3 and 13818-3 list them, typed here apart from articles/uploads.py.
SPEC_KBPS = {
    ("MPEG-1", 1): [32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    ("MPEG-1", 2): [32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    ("MPEG-1", 3): [32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
    ("MPEG-2", 1): [32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    ("MPEG-2", 2): [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    ("MPEG-2", 3): [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
}
SPEC_RATES = {"MPEG-1": (44100, 48000, 32000), "MPEG-2": (22050, 24000, 16000)}
SPEC_RATES["MPEG-2.5"] = (11025, 12000, 8000)
VERSION_BITS = {"MPEG-1": 3, "MPEG-2": 2, "MPEG-2.5": 0}


def mpeg_stream(version, layer, index, rate_index, padding, fill=b"\x00"):
    """Two MPEG audio frames, the second where the standard puts it after the first."""
    table = ("MPEG-1" if version == "MPEG-1" else "MPEG-2", layer)
    bitrate, rate = SPEC_KBPS[table][index - 1] * 1000, SPEC_RATES[version][rate_index]
    if layer == 1:
        length = (12 * bitrate // rate + padding) * 4
    elif layer == 3 and version != "MPEG-1":
        length = 72 * bitrate // rate + padding
    else:
        length = 144 * bitrate // rate + padding
    header = bytes(
        (
            0xFF,
            0xE0 | VERSION_BITS[version] << 3 | (4 - layer) << 1 | 1,
            index << 4 | rate_index << 2 | padding << 1,
            0xC0,
        )
    )
    return (header + fill * (length - 4)) * 2


def test_mpeg_audio_of_every_version_layer_bit_rate_and_sample_rate_is_recognised():
    missed = [
        (version, layer, index, rate_index, padding)
        for version in VERSION_BITS
        for layer in (1, 2, 3)
        for index in range(1, 15)
        for rate_index in range(3)
        for padding in (0, 1)
        if uploads.audio_kind(
            files.upload("clip.mp3", mpeg_stream(version, layer, index, rate_index, padding))
        )
        is not uploads.MP3
    ]
    assert missed == []


@pytest.mark.parametrize(
    ("byte", "value"),
    [(1, 0xEB), (1, 0xF9), (2, 0x00), (2, 0xF0), (2, 0x9C), (0, 0xFE)],
)
def test_a_frame_header_the_standard_does_not_allow_is_not_mpeg_audio(byte, value):
    """The reserved version, the reserved layer, the free and the bad bit rate, the reserved
    sample rate, and a broken sync word."""
    stream = bytearray(mpeg_stream("MPEG-1", 3, 9, 0, 0))
    stream[byte] = value
    refused = refusal(uploads.validate_audio, files.upload("clip.mp3", bytes(stream)))
    assert refused.startswith("This file is not audio the newsroom can play.")


@pytest.mark.parametrize("footer", [False, True])
def test_an_mp3_after_a_two_megabyte_id3_tag_is_recognised(footer):
    """The tag's size is written 7 bits a byte; this one sets a different odd value in each."""
    size = (1 << 21) | (3 << 14) | (5 << 7) | 7
    audio = mpeg_stream("MPEG-1", 3, 9, 0, 0, fill=b"\x55")  # no zeros to skip after the tag
    content = files.id3_tag_padded(size - 20, footer=footer) + audio
    assert uploads.audio_kind(files.upload("interview.mp3", content)) is uploads.MP3


def test_an_ogg_vorbis_stream_is_accepted_as_ogg():
    assert uploads.audio_kind(files.upload("clip.ogg", files.ogg_vorbis_bytes())) is uploads.OGG


@pytest.mark.parametrize(
    "content",
    [
        b"RIFF\x24\x00\x00\x00AVI LIST" + b"\x00" * 64,  # a RIFF file, but a video
        b"\x00\x00\x00\x14ftypM4A ",  # an MP4 header cut short
        b"\x00\x00\x00\x14ftypM4A \x00\x00\x00",  # a byte short of a whole one
    ],
)
def test_containers_that_hold_no_playable_audio_are_refused(content):
    refused = refusal(uploads.validate_audio, files.upload("clip.m4a", content))
    assert refused.startswith("This file is not audio the newsroom can play.")


@pytest.mark.parametrize(
    "brands",
    [b"qt  " + b"\x00\x00\x02\x00" + b"qt  M4A ", b"M4A " + b"\x00\x00\x02\x00" + b"qt  3gp4"],
    ids=["among the compatible brands", "the major brand alone"],
)
def test_an_mp4_that_names_an_audio_brand_is_accepted(brands):
    ftyp = b"ftyp" + brands
    content = len(ftyp + b"1234").to_bytes(4, "big") + ftyp + b"\x00\x00\x00\x08mdat"
    assert uploads.audio_kind(files.upload("clip.mov", content)) is uploads.M4A


@pytest.mark.parametrize(
    ("validator", "what"), [("validate_audio", "audio file"), ("validate_image", "picture")]
)
def test_an_empty_file_is_refused_as_empty(validator, what):
    refused = refusal(getattr(uploads, validator), files.upload("empty.mp3", b""))
    assert refused == f"This {what} is empty (0 bytes)."


def test_a_file_that_cannot_be_deleted_after_a_replacement_leaves_the_save_done(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    article = ArticleFactory(audio=files.upload("first.wav", files.wav_bytes()))

    def fail(name):
        raise OSError(f"{name}: read-only file system")

    monkeypatch.setattr(default_storage, "delete", fail)
    with django_capture_on_commit_callbacks(execute=True):
        article.audio = files.upload("second.wav", files.wav_bytes())
        article.save()
    assert Article.objects.get().audio.name.endswith("/second.wav")
    assert "read-only file system" in caplog.text


def picture_upload(name, image, fmt, **options):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return files.upload(name, buffer.getvalue())


def test_a_grayscale_jpeg_is_stored_grayscale():
    photo = picture_upload("grey.jpg", Image.new("L", (40, 30), 128), "JPEG")
    _, image = stored_image(ArticleFactory(hero_image=photo, hero_alt="Grey").hero_image)
    assert (image.format, image.mode) == ("JPEG", "L")


@pytest.mark.parametrize(("mode", "kept"), [("RGBA", "RGBA"), ("RGB", "RGB")])
def test_a_webp_keeps_its_transparency_and_an_opaque_one_gains_none(mode, kept):
    picture = picture_upload("logo.webp", Image.new(mode, (40, 30)), "WEBP", lossless=True)
    _, image = stored_image(ArticleFactory(hero_image=picture, hero_alt="Logo").hero_image)
    assert (image.format, image.mode) == ("WEBP", kept)


def palette_flag():
    """A 20 × 20 palette picture: a top half of colour 0 (to be transparent), then blue."""
    flag = Image.new("P", (20, 20), 0)
    flag.putpalette([255, 255, 255, 0, 87, 183] + [0] * 762)
    flag.paste(1, (0, 10, 20, 20))
    return flag


def test_a_gif_keeps_its_transparent_colour():
    picture = picture_upload("flag.gif", palette_flag(), "GIF", transparency=0)
    _, image = stored_image(ArticleFactory(hero_image=picture, hero_alt="A flag").hero_image)
    assert image.info.get("transparency") == 0
    assert image.convert("RGBA").getpixel((5, 5))[3] == 0


def test_a_sixteen_bit_grayscale_png_is_stored_as_colour_without_transparency():
    scan = Image.new("I;16", (40, 30), 30000)
    picture = picture_upload("scan.png", scan, "PNG")
    _, image = stored_image(ArticleFactory(hero_image=picture, hero_alt="A scan").hero_image)
    assert (image.format, image.mode) == ("PNG", "RGB")


def test_a_palette_png_with_a_transparent_colour_stays_a_palette_png():
    picture = picture_upload("flag.png", palette_flag(), "PNG", transparency=0)
    _, image = stored_image(ArticleFactory(hero_image=picture, hero_alt="A flag").hero_image)
    assert (image.format, image.mode, image.info.get("transparency")) == ("PNG", "P", 0)


@pytest.mark.parametrize(("fmt", "mode"), [("JPEG", "RGB"), ("PNG", "RGBA")])
def test_colours_of_another_colour_profile_are_stored_in_srgb(fmt, mode):
    red = Image.new(mode, (20, 20), (255, 0, 0, 255)[: len(mode)])
    if mode == "RGBA":
        red.paste((0, 0, 0, 0), (0, 0, 10, 20))  # the left half transparent
    profile = files.swapped_primaries_profile()
    picture = picture_upload(f"red.{fmt.lower()}", red, fmt, icc_profile=profile)
    _, image = stored_image(ArticleFactory(hero_image=picture, hero_alt="Red").hero_image)
    assert image.mode == mode and "icc_profile" not in image.info
    r, g, b = image.getpixel((15, 10))[:3]
    assert b > 200 and r < 60, "the colours were not converted to sRGB"
    if mode == "RGBA":
        assert image.getpixel((5, 10))[3] == 0 and image.getpixel((15, 10))[3] == 255


def test_the_smallest_whole_mp4_header_naming_an_audio_brand_is_audio():
    content = b"\x00\x00\x00\x10ftypM4A \x00\x00\x02\x00"
    assert uploads.audio_kind(files.upload("clip.m4a", content)) is uploads.M4A


@pytest.mark.parametrize(
    ("content", "start"),
    [
        (b"x" * 511 + b"\x01", "This file is not audio"),  # a control byte in the first 512
        (b"x" * 512 + b"\x01", "This is a text file, not audio."),  # only after them
    ],
)
def test_a_file_is_called_text_by_its_first_512_bytes(content, start):
    refused = refusal(uploads.validate_audio, files.upload("notes.mp3", content))
    assert refused.startswith(start)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"ID3\x04\x00\x00\x00\x00\x00", "This file starts with an MP3 tag but no MP3 audio"),
        (b"OggS" + bytes(22), "This Ogg file holds neither Vorbis nor Opus audio"),
    ],
    ids=["an MP3 tag's header cut short", "an Ogg page cut before its segment count"],
)
def test_a_header_cut_short_is_refused_for_what_it_started_as(content, message):
    refused = refusal(uploads.validate_audio, files.upload("clip.mp3", content))
    assert refused.startswith(message)


def test_any_form_for_an_upload_field_offers_only_the_kinds_it_accepts():
    from django import forms

    class PictureForm(forms.ModelForm):
        class Meta:
            model = Article
            fields = ["hero_image", "audio"]

    form = PictureForm()
    assert form.fields["hero_image"].widget.attrs["accept"] == (
        "image/jpeg,image/png,image/webp,image/gif"
    )
    assert form.fields["audio"].widget.attrs["accept"].startswith("audio/mpeg,")


def test_a_save_that_names_a_file_deleted_since_keeps_the_current_one_and_says_so(caplog):
    """As restoring an old revision does: its file may have been deleted meanwhile."""
    bare = ArticleFactory()
    bare.audio.name = "audio/2024/01/gone.wav"
    bare.save()
    with_audio = ArticleFactory(audio=files.upload("first.wav", files.wav_bytes()))
    kept = with_audio.audio.name
    with_audio.audio.name = "audio/2024/01/gone.wav"
    with_audio.save()

    assert Article.objects.get(pk=bare.pk).audio.name == ""
    assert Article.objects.get(pk=with_audio.pk).audio.name == kept
    assert [
        record.getMessage() for record in caplog.records if "no longer" in record.getMessage()
    ] == [
        "Kept no file: audio/2024/01/gone.wav no longer exists.",
        f"Kept {kept}: audio/2024/01/gone.wav no longer exists.",
    ]
