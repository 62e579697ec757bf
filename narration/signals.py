"""Narrate an article when it goes out, and again when its published headline or body change;
an uploaded reading takes the narration's place, and leaving gives it back."""

from django.db.models.signals import post_delete, post_save, pre_save

from articles import workflow
from articles.models import Article

# What is read aloud, and the reading an editor may upload in its place.
READ_FIELDS = ("headline", "body", "audio")


def note_read_fields(sender, instance, raw=False, **kwargs):
    """Before a save: whether any of READ_FIELDS differ from what was loaded."""
    loaded = getattr(instance, "_as_loaded", None)
    if raw or loaded is None or instance.pk is None:
        instance._narration_read_changed = False
        return
    instance._narration_read_changed = any(
        name in loaded and loaded[name] != getattr(instance, name) for name in READ_FIELDS
    )


def narrate_changed_article(sender, instance, raw=False, created=False, **kwargs):
    changed = instance.__dict__.pop("_narration_read_changed", False)
    if raw or created or not changed:
        return
    from narration import generate

    if instance.audio:
        generate.give_way_to_upload(instance.pk)
    elif instance.is_public:
        generate.queue(instance.pk)


def narrate_published_article(sender, article, old, was_public, **kwargs):
    # Also when it was public already: a scheduled article is, from its time until the clock
    # marks it published. The job reads nothing again when the text has not changed.
    if article.is_public:
        from narration import generate

        generate.queue(article.pk)


def delete_file(sender, instance, **kwargs):
    from narration import generate

    generate.delete_after_commit(instance.file_name)


def connect():
    from narration.models import Narration

    pre_save.connect(note_read_fields, sender=Article, dispatch_uid="narration-read-fields")
    post_save.connect(narrate_changed_article, sender=Article, dispatch_uid="narration-edit")
    workflow.moved.connect(narrate_published_article, dispatch_uid="narration-publish")
    post_delete.connect(delete_file, sender=Narration, dispatch_uid="narration-file")
