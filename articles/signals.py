"""Keep derived data in step with edits: renditions, old addresses, updated times."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from articles import images, listings, redirects
from articles.models import Article


def make_hero_renditions(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if raw or (created and not instance.hero_image):
        return
    if update_fields is not None and "hero_image" not in update_fields:
        return
    images.update_renditions(instance)


def note_readers_address(sender, instance, raw=False, **kwargs):
    """Before a save, note where readers find the row now, in case its slug changes."""
    if not raw and instance.pk is not None:
        instance._readers_address = redirects.readers_address(sender, instance.pk)


def keep_old_address(sender, instance, raw=False, **kwargs):
    old_address = instance.__dict__.pop("_readers_address", None)
    if not raw:
        redirects.moved(instance, old_address)


def correction_updates_article(sender, instance, raw=False, created=False, **kwargs):
    """A correction or editor's note added, changed or removed is a change to the article."""
    if not raw:
        moment = instance.created_at if created else timezone.now()
        Article.objects.filter(pk=instance.article_id).update(updated_at=moment, modified_at=moment)
        listings.article_changed(instance.article_id)


def make_library_renditions(sender, instance, raw=False, **kwargs):
    if not raw and images.update_library_renditions(instance):
        type(instance).objects.filter(pk=instance.pk).update(
            width=instance.width,
            height=instance.height,
            source=instance.source,
            items=instance.items,
        )


def connect():
    from articles.models import Article, Correction, HeroRenditions, MediaImage

    post_save.connect(make_hero_renditions, sender=Article, dispatch_uid="hero_renditions")
    post_delete.connect(
        images.delete_rendition_files, sender=HeroRenditions, dispatch_uid="hero_rendition_files"
    )
    for model in redirects.MOVABLE:
        uid = f"old-address-{model.__name__}"
        pre_save.connect(note_readers_address, sender=model, dispatch_uid=uid)
        post_save.connect(keep_old_address, sender=model, dispatch_uid=uid)
    for signal in (post_save, post_delete):
        signal.connect(correction_updates_article, sender=Correction, dispatch_uid="correction")
    post_save.connect(make_library_renditions, sender=MediaImage, dispatch_uid="library_renditions")
    post_delete.connect(
        images.delete_rendition_files, sender=MediaImage, dispatch_uid="library_rendition_files"
    )
