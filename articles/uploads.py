"""Uploaded pictures and audio, judged by what they contain and never by their names.

Every upload field of the newsroom is an ImageUploadField or an AudioUploadField. A new upload
is checked by the field's validator when a form is cleaned, and prepared again just before it
is stored: pictures are decoded only below a pixel limit and stored re-encoded, with no
metadata; audio must be a container browsers play. The stored name gets the extension of what
the file really is. Files that a save replaces or clears, or whose row is deleted, are removed
from storage once the transaction has committed.
"""

import io
import logging
import posixpath
import struct
import warnings
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_save
from PIL import Image, ImageCms, ImageOps

logger = logging.getLogger(__name__)

MB = 1_000_000
HEAD = 4096  # bytes read to tell what a file is


@dataclass(frozen=True)
class Kind:
    """A type of file the newsroom stores, as it is named, stored and served."""

    name: str
    extension: str
    content_type: str


IMAGE_KINDS = {
    "JPEG": Kind("JPEG", "jpg", "image/jpeg"),
    "PNG": Kind("PNG", "png", "image/png"),
    "WEBP": Kind("WebP", "webp", "image/webp"),
    "GIF": Kind("GIF", "gif", "image/gif"),
}
MP3 = Kind("MP3", "mp3", "audio/mpeg")
M4A = Kind("M4A", "m4a", "audio/mp4")
OGG = Kind("Ogg", "ogg", "audio/ogg")
WAV = Kind("WAV", "wav", "audio/wav")
AUDIO_KINDS = (MP3, M4A, OGG, WAV)

# What media responses may show in the browser; anything else is sent as a download.
INLINE_CONTENT_TYPES = {
    f".{kind.extension}": kind.content_type for kind in [*IMAGE_KINDS.values(), *AUDIO_KINDS]
} | {".jpeg": "image/jpeg", ".opus": "audio/ogg"}

IMAGE_FORMATS_TEXT = "a JPEG, PNG, WebP or GIF picture"
AUDIO_FORMATS_TEXT = "an MP3, M4A, Ogg (Vorbis or Opus) or WAV file"


# What a file looks like --------------------------------------------------------------------


def read_head(file, size=HEAD):
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def looks_like(head):
    """A few words naming what the start of a file shows it to be, or None."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"<svg") or (text.startswith(b"<?xml") and b"<svg" in text):
        return "an SVG drawing"
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--")) or any(
        tag in text for tag in (b"<script", b"<iframe", b"<html")
    ):
        return "an HTML file"
    if text.startswith(b"<?xml"):
        return "an XML file"
    for magic, name in (
        (b"%PDF", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive or office document"),
        (b"MZ", "a Windows program"),
        (b"\x7fELF", "a program"),
        (b"II*\x00", "a TIFF picture"),
        (b"MM\x00*", "a TIFF picture"),
        (b"\xff\xd8\xff", "a JPEG picture"),
        (b"\x89PNG", "a PNG picture"),
        (b"GIF8", "a GIF picture"),
    ):
        if head.startswith(magic):
            return name
    if head[:2] == b"BM" and head[6:10] == b"\x00\x00\x00\x00":
        return "a BMP picture"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "a WebP picture"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"avif"):
        return "a HEIC or AVIF picture"
    if kind := audio_kind_of_head(head):
        return f"{kind.name} audio"
    if head and all(byte >= 0x20 or byte in b"\t\r\n" for byte in head[:512]):
        return "a text file"
    return None


def check_size(file, limit_mb, what):
    """Refuse a file (a Django File: uploads and stored files alike) empty or over the limit."""
    size = file.size
    if size > limit_mb * MB:
        raise ValidationError(
            f"This {what} is {size / MB:.1f} MB; the limit is {limit_mb} MB. "
            "Upload a smaller file.",
            code="too_large",
        )
    if size == 0:
        raise ValidationError(f"This {what} is empty (0 bytes).", code="empty")


def stored_name(file, kind):
    """The upload's own name with the extension of what it really is."""
    stem = posixpath.splitext(posixpath.basename((file.name or "").replace("\\", "/")))[0]
    return f"{stem or 'upload'}.{kind.extension}"


# Pictures ----------------------------------------------------------------------------------


def max_pixels():
    return settings.UPLOAD_IMAGE_MAX_MEGAPIXELS * 1_000_000


def not_an_image(head):
    what = looks_like(head)
    seen = f" It looks like {what}." if what else ""
    return ValidationError(
        f"This file is not an image Pillow can read.{seen} Upload {IMAGE_FORMATS_TEXT}.",
        code="not_an_image",
    )


def too_many_pixels(size=None):
    measured = " has far too many pixels"
    if size:
        width, height = size
        measured = f" is {width:,} × {height:,} pixels ({width * height / 1e6:.1f} megapixels)"
    return ValidationError(
        f"This picture{measured}; the limit is {settings.UPLOAD_IMAGE_MAX_MEGAPIXELS} megapixels. "
        "Make it smaller and upload it again.",
        code="too_many_pixels",
    )


def damaged_image(kind):
    return ValidationError(
        f"This {kind.name} picture is damaged or incomplete, so it cannot be opened. "
        "Save it again from the original and upload that.",
        code="damaged_image",
    )


def open_image(file):
    """Open an uploaded picture with Pillow and check it without decoding its pixels.

    Returns the image, opened afresh after Pillow's verify(), and its Kind.
    """
    check_size(file, settings.UPLOAD_IMAGE_MAX_MB, "picture")
    head = read_head(file)
    try:
        with warnings.catch_warnings():
            # Our own limit, checked below, is lower than the one Pillow warns at.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(file, formats=list(IMAGE_KINDS))
    except Image.DecompressionBombError as error:
        raise too_many_pixels() from error
    except Exception as error:  # Pillow raises many kinds for files it cannot read
        raise not_an_image(head) from error
    kind = IMAGE_KINDS[image.format]
    width, height = image.size
    if width * height > max_pixels():
        raise too_many_pixels(image.size)
    try:
        image.verify()
        image = Image.open(file, formats=[image.format])  # Pillow reads from the start again
    except Exception as error:
        raise damaged_image(kind) from error
    return image, kind


def validate_image(value):
    """Refuse a new upload that is not a picture the newsroom can safely store."""
    file = new_upload(value)
    if file is not None:
        open_image(file)
        file.seek(0)


def in_srgb(image):
    """Colours converted to sRGB when the picture carries another colour profile."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        return ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(profile)),
            ImageCms.createProfile("sRGB"),
            outputMode="RGBA" if image.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image  # a broken profile: keep the colours as they are


def has_alpha(image):
    return "A" in image.getbands() or "transparency" in image.info


def encoder_ready(image, fmt):
    """The picture in a mode the format `fmt` stores, and the options to save it with."""
    options = {}
    transparency = image.info.get("transparency")
    if fmt == "JPEG":
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGB")
        options = {"quality": 90}
    elif fmt == "WEBP":
        image = image.convert("RGBA" if has_alpha(image) else "RGB")
        options = {"quality": 90}
    elif fmt == "GIF" or image.mode in ("1", "L", "LA", "P", "RGB", "RGBA"):
        if transparency is not None:
            options["transparency"] = transparency
    else:
        image = image.convert("RGBA" if has_alpha(image) else "RGB")
    return image, options


# Where Pillow shows a picture's metadata, by the name an operator knows it by.
METADATA = {
    "exif": "EXIF",
    "xmp": "XMP",
    "XML:com.adobe.xmp": "XMP",
    "photoshop": "IPTC",
    "comment": "comment",
    "icc_profile": "colour profile",
}
GPS_IFD = 0x8825  # the EXIF tag under which cameras write the position


def metadata_of(image):
    """What metadata an opened picture carries (none once reencoded_image has stored it)."""
    found = [name for key, name in METADATA.items() if image.info.get(key)]
    if image.getexif().get(GPS_IFD) is not None:
        found.insert(1, "GPS position")
    if getattr(image, "text", None):  # PNG text chunks: author, description, software
        found.append("text")
    return list(dict.fromkeys(found))


def reencoded_image(file):
    """Check an uploaded picture and return (name, content) of a clean copy to store.

    The copy is upright (the EXIF orientation applied), holds the first frame of an animation,
    has sRGB colours and carries no metadata: no EXIF, GPS, XMP, colour profile or comments.
    """
    image, kind = open_image(file)
    fmt = image.format
    try:
        image.seek(0)
        upright = ImageOps.exif_transpose(image)  # a decoded copy, whatever the orientation
        upright.load()
    except Exception as error:
        raise damaged_image(kind) from error
    # One decoded copy at a time: each step below replaces the one before. (Image.close()
    # would close the uploaded file too.)
    del image
    upright = in_srgb(upright)
    upright, options = encoder_ready(upright, fmt)
    upright.info = {}
    buffer = io.BytesIO()
    upright.save(buffer, fmt, **options)
    return stored_name(file, kind), ContentFile(buffer.getvalue())


# Audio -------------------------------------------------------------------------------------

# kbit/s by (MPEG-1?, layer), for the header's bitrate bits 1 to 14 (0 is "free format", 15 is
# not allowed: both are refused).
MPEG_BITRATES = {
    (True, 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
MPEG_SAMPLE_RATES = {0: (11025, 12000, 8000), 2: (22050, 24000, 16000), 3: (44100, 48000, 32000)}
MP4_AUDIO_BRANDS = {
    b"M4A ",
    b"M4B ",
    b"mp41",
    b"mp42",
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"dash",
    b"f4a ",
}


def mpeg_frame_length(header):
    """Length in bytes of the MPEG audio frame starting with `header`, or None if it is none."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0:
        return None
    version = (header[1] >> 3) & 3  # 0: MPEG-2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
    layer = 4 - ((header[1] >> 1) & 3)  # the bits count down: 3 is layer I
    bitrate_index, rate_index, padding = header[2] >> 4, (header[2] >> 2) & 3, (header[2] >> 1) & 1
    if version == 1 or layer == 4 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    mpeg1 = version == 3
    bitrate = MPEG_BITRATES[(mpeg1, layer)][bitrate_index - 1] * 1000
    rate = MPEG_SAMPLE_RATES[version][rate_index]
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4
    if layer == 3 and not mpeg1:
        return 72 * bitrate // rate + padding
    return 144 * bitrate // rate + padding


def is_mp3(file, head):
    """An ID3 tag or nothing, then two MPEG audio frames one after the other."""
    start = 0
    if head[:3] == b"ID3" and len(head) >= 10:
        size = (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7
        size |= head[9] & 0x7F
        start = 10 + size + (10 if head[5] & 0x10 else 0)
    file.seek(start)
    data = file.read(HEAD)
    file.seek(0)
    offset = len(data) - len(data.lstrip(b"\x00"))  # some encoders pad the tag with zeros
    first = mpeg_frame_length(data[offset : offset + 4])
    if first is None:
        return False
    file.seek(start + offset + first)
    following = file.read(4)
    file.seek(0)
    return mpeg_frame_length(following) is not None


def audio_kind_of_head(head):
    """The audio kind the first bytes announce (MP3 only by its ID3 tag), or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head[4:8] == b"ftyp" and len(head) >= 16:
        (box_size,) = struct.unpack(">I", head[:4])
        brands = {head[8:12]} | {
            head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)
        }
        if brands & MP4_AUDIO_BRANDS:
            return M4A
    if head[:4] == b"OggS":
        return OGG
    if head[:3] == b"ID3":
        return MP3
    return None


def ogg_codec(head):
    """The codec named by the first packet of an Ogg stream."""
    segments = head[26] if len(head) > 26 else 0
    packet = head[27 + segments : 27 + segments + 8]
    if packet[:7] == b"\x01vorbis":
        return "Vorbis"
    if packet == b"OpusHead":
        return "Opus"
    return None


def not_audio(head):
    what = looks_like(head)
    if what:
        return ValidationError(
            f"This is {what}, not audio. Upload {AUDIO_FORMATS_TEXT}.", code="not_audio"
        )
    return ValidationError(
        f"This file is not audio the newsroom can play. Upload {AUDIO_FORMATS_TEXT}.",
        code="not_audio",
    )


def audio_kind(file):
    """The kind of an uploaded audio file, checked by its content; ValidationError if none."""
    check_size(file, settings.UPLOAD_AUDIO_MAX_MB, "audio file")
    head = read_head(file)
    kind = audio_kind_of_head(head)
    if kind is OGG and ogg_codec(head) is None:
        raise ValidationError(
            "This Ogg file holds neither Vorbis nor Opus audio, which browsers play. "
            f"Upload {AUDIO_FORMATS_TEXT}.",
            code="not_audio",
        )
    if kind in (None, MP3):
        if is_mp3(file, head):
            return MP3
        if kind is MP3:
            raise ValidationError(
                "This file starts with an MP3 tag but no MP3 audio follows it. "
                f"Upload {AUDIO_FORMATS_TEXT}.",
                code="not_audio",
            )
        raise not_audio(head)
    return kind


def validate_audio(value):
    """Refuse a new upload that is not audio in a container browsers play."""
    file = new_upload(value)
    if file is not None:
        audio_kind(file)


def checked_audio(file):
    """Check an uploaded audio file and return (name, content) to store: the file itself."""
    return stored_name(file, audio_kind(file)), file


# Fields ------------------------------------------------------------------------------------


def new_upload(value):
    """The uploaded file behind a field's value, or None for a file stored before."""
    if isinstance(value, FieldFile):
        return None if value._committed else value.file
    return value


class UploadField:
    """What both upload fields share: checking, preparing and cleaning up after files."""

    accept = ""
    prepare = None  # file -> (name, content) to store

    def help_for_editors(self):
        raise NotImplementedError

    def formfield(self, **kwargs):
        # The checks are the model field's validators, so that every form and full_clean() runs
        # them; a plain form FileField keeps Django's own image check from answering first.
        options = {
            "form_class": forms.FileField,
            "help_text": self.help_text or self.help_for_editors(),
            **kwargs,
        }
        widget = options.get("widget") or forms.ClearableFileInput
        options["widget"] = widget() if isinstance(widget, type) else widget
        options["widget"].attrs.setdefault("accept", self.accept)
        return super().formfield(**options)

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            name, content = self.prepare(file.file)
            file.save(name, content, save=False)
        return super().pre_save(model_instance, add)

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract and cls.__module__ != "__fake__":  # not in migrations
            uid = f"uploads-{cls._meta.label_lower}"
            pre_save.connect(remember_stored_files, sender=cls, dispatch_uid=uid)
            post_save.connect(delete_replaced_files, sender=cls, dispatch_uid=uid)
            post_delete.connect(delete_files_of_deleted_row, sender=cls, dispatch_uid=uid)


class ImageUploadField(UploadField, models.ImageField):
    """A picture, stored re-encoded without metadata (see reencoded_image)."""

    default_validators = [validate_image]
    accept = ",".join(kind.content_type for kind in IMAGE_KINDS.values())
    prepare = staticmethod(reencoded_image)

    def help_for_editors(self):
        return (
            f"A JPEG, PNG, WebP or GIF picture of at most "
            f"{settings.UPLOAD_IMAGE_MAX_MB} MB and {settings.UPLOAD_IMAGE_MAX_MEGAPIXELS} "
            "megapixels. Location, camera and other details in the file are removed."
        )


class AudioUploadField(UploadField, models.FileField):
    """An audio file in a container browsers play (see audio_kind)."""

    default_validators = [validate_audio]
    accept = ",".join(
        [kind.content_type for kind in AUDIO_KINDS] + [f".{kind.extension}" for kind in AUDIO_KINDS]
    )
    prepare = staticmethod(checked_audio)

    def help_for_editors(self):
        return (
            "An MP3, M4A, Ogg (Vorbis or Opus) or WAV file of at most "
            f"{settings.UPLOAD_AUDIO_MAX_MB} MB."
        )


# Removing files nobody uses any more -------------------------------------------------------


def upload_fields(model, update_fields=None):
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, UploadField) and (update_fields is None or field.name in update_fields)
    ]


def delete_after_commit(storage, names, using=None, still_used=None):
    """Delete the files `names` from `storage` once the current transaction has committed.

    Nothing is deleted if it rolls back. `still_used(name)`, checked at that moment, keeps a
    file that some row refers to again.
    """
    names = [name for name in names if name]

    def delete():
        for name in names:
            if still_used is None or not still_used(name):
                storage.delete(name)

    if names:
        transaction.on_commit(delete, using=using, robust=True)


def delete_field_files(field, names, using):
    def still_used(name):
        return field.model._base_manager.using(using).filter(**{field.attname: name}).exists()

    delete_after_commit(field.storage, names, using=using, still_used=still_used)


def remember_stored_files(sender, instance, using=None, update_fields=None, **kwargs):
    """Note which files the row holds before this save, to delete those it lets go of."""
    fields = upload_fields(sender, update_fields)
    instance._stored_files = {}
    if instance.pk is None or not fields:
        return
    row = (
        sender._base_manager.using(using)
        .filter(pk=instance.pk)
        .values(*[field.attname for field in fields])
        .first()
    )
    if row is None:
        return
    for field in fields:
        stored = row[field.attname] or ""
        value = getattr(instance, field.attname)
        if value and value._committed and value.name != stored:
            if not field.storage.exists(value.name):
                # An older revision being restored names a file deleted since: keep the current
                # one rather than point at nothing.
                logger.warning("Kept %s: %s no longer exists.", stored or "no file", value.name)
                setattr(instance, field.attname, stored)
        instance._stored_files[field.attname] = stored


def delete_replaced_files(sender, instance, using=None, **kwargs):
    stored = instance.__dict__.pop("_stored_files", {})
    for field in upload_fields(sender):
        before = stored.get(field.attname)
        if before and before != getattr(instance, field.attname).name:
            delete_field_files(field, [before], using)


def delete_files_of_deleted_row(sender, instance, using=None, **kwargs):
    for field in upload_fields(sender):
        delete_field_files(field, [getattr(instance, field.attname).name], using)
