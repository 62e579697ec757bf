"""Hero image renditions: resized once with Pillow when an article is saved, never per request.

Widths for the page's srcset, and crops in the shapes search engines and social networks show
(16:9, 4:3 and 1:1, as Google asks for in article structured data).
"""

import io
import posixpath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from articles import uploads

WIDTHS = (480, 800, 1200)
FALLBACK_FORMATS = {"JPEG": "jpg", "PNG": "png"}
# Shapes for sharing, widest first; each as wide as the picture allows, at most CROP_WIDTH.
CROPS = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}
CROP_WIDTH = 1200


def _encode(image, fmt):
    buffer = io.BytesIO()
    if fmt == "WEBP":
        image.save(buffer, "WEBP", quality=78, method=4)
    elif fmt == "PNG":
        image.save(buffer, "PNG", optimize=True)
    else:
        image.convert("RGB").save(buffer, "JPEG", quality=80, optimize=True, progressive=True)
    return buffer.getvalue()


def _open(name):
    """The picture `name` upright, in RGB(A), and the format its copies are written in."""
    with default_storage.open(name) as handle:
        original = Image.open(handle)
        fmt = original.format if original.format in FALLBACK_FORMATS else "JPEG"
        image = ImageOps.exif_transpose(original)
        image.load()
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    return image, fmt


def _write(path, image, fmt):
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(_encode(image, fmt)))


def make_renditions(name):
    """Write WebP and original-format copies of the image `name` at each width up to its own.

    Returns (width, height, items) where items lists {"width", "webp", "fallback"} file names.
    """
    image, fmt = _open(name)
    width, height = image.size
    stem = posixpath.splitext(name)[0]
    widths = [w for w in WIDTHS if w < width] + [min(width, WIDTHS[-1])]
    items = []
    for target in sorted(set(widths)):
        resized = image.resize((target, round(height * target / width)), Image.Resampling.LANCZOS)
        files = {
            "webp": _write(f"renditions/{stem}-{target}.webp", resized, "WEBP"),
            "fallback": _write(f"renditions/{stem}-{target}.{FALLBACK_FORMATS[fmt]}", resized, fmt),
        }
        items.append({"width": target, **files})
    return width, height, items


def crop_box(width, height, ratio):
    """The largest box of shape `ratio` (w, h) in the middle of a width × height picture."""
    across, down = ratio
    crop_width = min(width, height * across // down)
    crop_height = min(height, crop_width * down // across)
    crop_width = crop_height * across // down
    left, top = (width - crop_width) // 2, (height - crop_height) // 2
    return left, top, left + crop_width, top + crop_height


def make_crops(name):
    """Write a copy of the image `name` in each shape of CROPS, cut from its middle.

    Returns [{"ratio", "width", "height", "file"}], in the order of CROPS.
    """
    image, fmt = _open(name)
    stem = posixpath.splitext(name)[0]
    crops = []
    for ratio, shape in CROPS.items():
        box = crop_box(*image.size, shape)
        piece = image.crop(box)
        if piece.width > CROP_WIDTH:
            size = (CROP_WIDTH, CROP_WIDTH * shape[1] // shape[0])
            piece = piece.resize(size, Image.Resampling.LANCZOS)
        path = f"renditions/{stem}-{ratio}.{FALLBACK_FORMATS[fmt]}"
        file = _write(path, piece, fmt)
        crops.append({"ratio": ratio, "width": piece.width, "height": piece.height, "file": file})
    return crops


def update_renditions(article):
    """Make the renditions of the article's hero image unless they exist; drop stale ones."""
    from articles.models import HeroRenditions

    current = HeroRenditions.objects.filter(article=article).first()
    if not article.hero_image:
        if current:
            current.delete()
        return None
    if current and current.source == article.hero_image.name:
        if not current.crops:  # made before there were crops
            current.crops = make_crops(current.source)
            current.save(update_fields=["crops"])
        return current
    width, height, items = make_renditions(article.hero_image.name)
    crops = make_crops(article.hero_image.name)
    if current:
        kept = set(rendition_files(items, crops))
        uploads.delete_after_commit(
            default_storage,
            [name for name in rendition_files(current.items, current.crops) if name not in kept],
        )
    record, _ = HeroRenditions.objects.update_or_create(
        article=article,
        defaults={
            "source": article.hero_image.name,
            "width": width,
            "height": height,
            "items": items,
            "crops": crops,
        },
    )
    return record


def rendition_files(items, crops=()):
    return [item[kind] for item in items for kind in ("webp", "fallback")] + [
        crop["file"] for crop in crops
    ]


def delete_rendition_files(sender, instance, **kwargs):
    """Once renditions are deleted (image removed, article deleted), remove their files."""
    uploads.delete_after_commit(
        default_storage,
        rendition_files(instance.items, getattr(instance, "crops", ())),  # library pictures: none
        using=kwargs.get("using"),
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


def share_images(article):
    """The hero picture's crops for search engines and social networks, widest shape first:
    [{"url", "width", "height"}], or [] when the article has no picture (or no crops yet)."""
    record = getattr(article, "hero_renditions", None) if article.hero_image else None
    if record is None:
        return []
    return [
        {"url": default_storage.url(crop["file"]), "width": crop["width"], "height": crop["height"]}
        for crop in record.crops
    ]
