"""Strip the metadata from pictures stored before uploads were re-encoded.

Those originals still carry what the camera wrote (EXIF with the GPS position and the
photographer's name, XMP, comments, colour profiles) at public addresses. strip_stored()
passes each picture that carries any through uploads.reencoded_image, as a new upload is.

A cleaned picture is stored under a new name beside the old one; every row naming the old
file (its upload field, and what its renditions record they were made from) moves to the new
name in one transaction, and the old file is deleted once that has committed. A picture that
fails leaves its file and rows as they were. Pictures without metadata are not touched, so a
second run changes nothing.
"""

import posixpath
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from articles import uploads
from newsroom import freshness

# Fields that record the name of the picture their renditions were made from.
RENDITION_SOURCES = (("articles.HeroRenditions", "source"), ("articles.MediaImage", "source"))


@dataclass(frozen=True)
class Outcome:
    """What happened to one stored picture (or, in a dry run, would)."""

    name: str
    state: str  # "stripped", "clean", "missing" or "unreadable"
    found: tuple = ()  # the metadata it carried, e.g. ("EXIF", "GPS position")
    new_name: str = ""
    problem: str = ""


def picture_fields():
    """(model, field) of every picture upload field of the site."""
    for model in apps.get_models():
        for field in uploads.upload_fields(model):
            if isinstance(field, uploads.ImageUploadField):
                yield model, field


def stored_pictures():
    """{name: storage} of every stored picture a row names."""
    pictures = {}
    for model, field in picture_fields():
        rows = model._base_manager.exclude(**{field.attname: ""})
        names = rows.exclude(**{f"{field.attname}__isnull": True}).values_list(
            field.attname, flat=True
        )
        for name in names.order_by().distinct():
            pictures.setdefault(name, field.storage)
    return dict(sorted(pictures.items()))


def strip_stored(*, dry_run=False):
    """Strip every stored picture that carries metadata; one Outcome per picture."""
    outcomes = [
        strip_picture(name, storage, dry_run=dry_run) for name, storage in stored_pictures().items()
    ]
    if any(outcome.new_name for outcome in outcomes):
        freshness.everything_changed()  # pages name the pictures by their files
    return outcomes


def strip_picture(name, storage, *, dry_run=False):
    if not storage.exists(name):
        return Outcome(name, "missing")
    with storage.open(name) as handle:
        upload = ContentFile(handle.read(), name=posixpath.basename(name))
    try:
        image, _ = uploads.open_image(upload)
        found = tuple(uploads.metadata_of(image))
        if not found:
            return Outcome(name, "clean")
        if dry_run:
            return Outcome(name, "stripped", found)
        clean_name, content = uploads.reencoded_image(upload)
    except ValidationError as error:
        return Outcome(name, "unreadable", problem=" ".join(error.messages))
    new_name = storage.save(posixpath.join(posixpath.dirname(name), clean_name), content)
    try:
        with transaction.atomic():
            rename(name, new_name)
            uploads.delete_after_commit(storage, [name], still_used=is_named)
    except BaseException:
        storage.delete(new_name)
        raise
    return Outcome(name, "stripped", found, new_name)


def rename(old, new):
    """Point every row that names the stored picture `old` at `new`."""
    for model, field in picture_fields():
        model._base_manager.filter(**{field.attname: old}).update(**{field.attname: new})
    for label, attname in RENDITION_SOURCES:
        apps.get_model(label)._base_manager.filter(**{attname: old}).update(**{attname: new})


def is_named(name):
    """Whether a row names the stored picture `name`."""
    return any(
        model._base_manager.filter(**{field.attname: name}).exists()
        for model, field in picture_fields()
    )
