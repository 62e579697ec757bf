from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from articles.models import Article, Section
from feed.models import FeedItem, FeedRemoval
from newsroom import freshness
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


@receiver(post_save, sender=Article)
@receiver(post_save, sender=Section)
@receiver(pre_delete, sender=Article)
@receiver(pre_delete, sender=Section)
def linked_change(sender, instance, raw=False, **kwargs):
    """Items show their section's name, and link their article only while it is public: a
    change to either changes the feed, so open pages' polls must get a new answer. An article
    still to go out counts too, so that the feed's version changes when it does."""
    if raw:
        return
    goes_out_at = getattr(instance, "goes_out_at", None)
    upcoming = goes_out_at is not None and goes_out_at > timezone.now()
    if upcoming or instance.feed_items.exists():
        freshness.feed_changed(instance)
