from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from feed.models import FeedItem, FeedRemoval
from newsroom.webhooks import events as webhook_events


@receiver(pre_save, sender=FeedItem)
def remember_visibility(sender, instance, raw, **kwargs):
    """Note whether readers could see the item before this save, and the item as it was."""
    instance._was_public = False
    instance._before = None
    if instance.pk and not raw:
        before = FeedItem.objects.filter(pk=instance.pk).first()
        instance._was_public = before is not None and before.is_public
        instance._before = before


@receiver(post_save, sender=FeedItem)
def record_change(sender, instance, raw, **kwargs):
    if raw:
        return
    if instance.is_public:
        FeedRemoval.objects.filter(item_id=instance.pk).delete()
    elif instance._was_public:
        removed(instance.pk)
    webhook_events.feed_item_saved(instance, instance._before)


@receiver(post_delete, sender=FeedItem)
def record_removal(sender, instance, **kwargs):
    if instance.is_public:
        removed(instance.pk)
    webhook_events.feed_item_deleted(instance)


def removed(pk):
    FeedRemoval.objects.update_or_create(item_id=pk, defaults={"removed_at": timezone.now()})
