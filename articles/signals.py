"""Keep derived data in step with edits: hero and media library renditions."""

from django.db.models.signals import post_delete, post_save

from articles import images


def make_hero_renditions(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if raw or (created and not instance.hero_image):
        return
    if update_fields is not None and "hero_image" not in update_fields:
        return
    images.update_renditions(instance)


def make_library_renditions(sender, instance, raw=False, **kwargs):
    if not raw and images.update_library_renditions(instance):
        type(instance).objects.filter(pk=instance.pk).update(
            width=instance.width,
            height=instance.height,
            source=instance.source,
            items=instance.items,
        )


def connect():
    from articles.models import Article, HeroRenditions, MediaImage

    post_save.connect(make_hero_renditions, sender=Article, dispatch_uid="hero_renditions")
    post_delete.connect(
        images.delete_rendition_files, sender=HeroRenditions, dispatch_uid="hero_rendition_files"
    )
    post_save.connect(make_library_renditions, sender=MediaImage, dispatch_uid="library_renditions")
    post_delete.connect(
        images.delete_rendition_files, sender=MediaImage, dispatch_uid="library_rendition_files"
    )
