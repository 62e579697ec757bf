"""The tag pages' listings (TagListing): each article's tags with the time readers see it,
kept in step with the articles and their tags here, and only here.

Readers' lists still ask `published()`: a listing only tells a tag's page which articles to
read, in order, from one index.
"""

from django.db.models.signals import m2m_changed, post_save

from articles.models import Article, TagListing


def refresh(article_ids):
    """Make the listings of these articles again from their tags and times."""
    ids = list(article_ids)
    TagListing.objects.filter(article_id__in=ids).delete()
    tagged = Article.tags.through.objects.filter(article_id__in=ids).values_list(
        "article_id", "tag_id", "article__status", "article__published_at"
    )
    TagListing.objects.bulk_create(
        TagListing(
            article_id=article_id,
            tag_id=tag_id,
            goes_out_at=Article(status=status, published_at=published_at).goes_out_at,
        )
        for article_id, tag_id, status, published_at in tagged
    )


def article_saved(sender, instance, created=False, **kwargs):
    """A new article has no tags yet; a saved one may have a new status or time."""
    if not created:
        TagListing.objects.filter(article=instance).update(goes_out_at=instance.goes_out_at)


def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """An article's tags set, added or taken away, from either side."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        refresh([instance.pk])
    elif pk_set is not None:
        refresh(pk_set)
    else:  # a tag's articles cleared
        TagListing.objects.filter(tag=instance).delete()


def connect():
    post_save.connect(article_saved, sender=Article, dispatch_uid="tag-listings")
    m2m_changed.connect(tags_changed, sender=Article.tags.through, dispatch_uid="tag-listings")
