"""Hero image renditions: resized once with Pillow when an article is saved, never per request."""

import io
import posixpath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from articles import uploads

WIDTHS = (480, 800, 1200)
FALLBACK_FORMATS = {"JPEG": "jpg", "PNG": "png"}


def _encode(image, fmt):
    buffer = io.BytesIO()
    if fmt == "WEBP":
        image.save(buffer, "WEBP", quality=78, method=4)
    elif fmt == "PNG":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.convert("RGB").save(buffer, "JPEG", quality=80, optimize=True, progressive=True)
    return buffer.getvalue()


def make_renditions(name):
    """Write WebP and original-format copies of the image `name` at each width up to its own.

    Returns (width, height, items) where items lists {"width", "webp", "fallback"} file names.
    """
    with default_storage.open(name) as handle:
        original = Image.open(handle)
        fmt = original.format if original.format in FALLBACK_FORMATS else "JPEG"
        image = ImageOps.exif_transpose(original)
        image.load()
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    width, height = image.size
    stem = posixpath.splitext(name)[0]
    widths = [w for w in WIDTHS if w < width] + [min(width, WIDTHS[-1])]
    items = []
    for target in sorted(set(widths)):
        resized = image.resize((target, round(height * target / width)), Image.Resampling.LANCZOS)
        files = {}
        for kind, out_fmt, ext in (
            ("webp", "WEBP", "webp"),
            ("fallback", fmt, FALLBACK_FORMATS[fmt]),
        ):
            path = f"renditions/{stem}-{target}.{ext}"
            if default_storage.exists(path):
                default_storage.delete(path)
            files[kind] = default_storage.save(path, ContentFile(_encode(resized, out_fmt)))
        items.append({"width": target, **files})
    return width, height, items


def update_renditions(article):
    """Make the renditions of the article's hero image unless they exist; drop stale ones."""
    from articles.models import HeroRenditions

    current = HeroRenditions.objects.filter(article=article).first()
    if not article.hero_image:
        if current:
            current.delete()
        return None
    if current and current.source == article.hero_image.name:
        return current
    width, height, items = make_renditions(article.hero_image.name)
    if current:
        kept = set(rendition_files(items))
        uploads.delete_after_commit(
            default_storage, [name for name in rendition_files(current.items) if name not in kept]
        )
    record, _ = HeroRenditions.objects.update_or_create(
        article=article,
        defaults={
            "source": article.hero_image.name,
            "width": width,
            "height": height,
            "items": items,
        },
    )
    return record


def rendition_files(items):
    return [item[kind] for item in items for kind in ("webp", "fallback")]


def delete_rendition_files(sender, instance, **kwargs):
    """Once renditions are deleted (image removed, article deleted), remove their files."""
    uploads.delete_after_commit(
        default_storage, rendition_files(instance.items), using=kwargs.get("using")
    )


def srcset(record, kind):
    return ", ".join(f"{default_storage.url(item[kind])} {item['width']}w" for item in record.items)


def hero_picture(article):
    """What the template needs to draw the hero <picture>, or None."""
    record = getattr(article, "hero_renditions", None) if article.hero_image else None
    return picture_of(record)


def picture_of(record):
    """What a template needs to draw a <picture> of `record`'s renditions, or None."""
    if record is None or not record.items:
        return None
    largest = record.items[-1]
    return {
        "webp_srcset": srcset(record, "webp"),
        "srcset": srcset(record, "fallback"),
        "src": default_storage.url(largest["fallback"]),
        "width": largest["width"],
        "height": round(record.height * largest["width"] / record.width),
    }


def update_library_renditions(picture):
    """Make the renditions of a media library picture unless they are of its current file.

    Returns whether anything changed (the caller saves the picture then).
    """
    if picture.source == picture.image.name and picture.items:
        return False
    stale = rendition_files(picture.items)
    picture.width, picture.height, picture.items = make_renditions(picture.image.name)
    picture.source = picture.image.name
    kept = set(rendition_files(picture.items))
    uploads.delete_after_commit(default_storage, [name for name in stale if name not in kept])
    return True


def smallest_rendition_url(record, kind="fallback"):
    return default_storage.url(record.items[0][kind]) if record.items else ""
