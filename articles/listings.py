"""Where readers' lists of an author's or a tag's articles read from: the bylines and the tag
listings (TagListing), each with a copy of its article's goes_out_at, kept in step with the
articles, their tags and bylines here, and only here. An author's or a tag's page then reads its
20 rows in order from one index, however many articles a desk has signed or a tag holds.

Readers' lists still ask `published()`: a copied time only tells a page which articles to
read, in order. A restored revision puts back tags and bylines under the time the revision had;
the save that follows every restore (revisions.revert) copies the article's time again.
"""

from django.db.models.signals import m2m_changed, post_save, pre_save
from django.utils import timezone

from articles.models import READERS, Article, ArticleAuthor, TagListing

# Where a subject's articles are listed, each on an index of the subject and the time readers
# see the article: (the rows, the field of those rows that names the subject).
SECTION = (Article, "section")  # the articles themselves
AUTHOR = (ArticleAuthor, "author")
TAG = (TagListing, "tag")


def seen(listing, subject, now=None):
    """The rows of `listing` for `subject` whose article readers may see at `now`."""
    rows, field = listing
    now = now or timezone.now()
    if rows is Article:
        return Article.objects.published(now).filter(**{field: subject})
    return rows.objects.filter(**{field: subject, "goes_out_at__lte": now})


def newest(listing, subject, now=None):
    """The ids of the articles readers may see of `subject`, newest first: a subquery that,
    sliced, reads only as many index entries as it is asked for."""
    rows = seen(listing, subject, now)
    if listing is SECTION:
        return rows.order_by("-published_at", "-pk").values("pk")
    return rows.order_by("-goes_out_at", "-article").values("article")


def refresh(article_ids):
    """Make the tag listings of these articles again from their tags and times."""
    ids = list(article_ids)
    TagListing.objects.filter(article_id__in=ids).delete()
    tagged = Article.tags.through.objects.filter(article_id__in=ids).values_list(
        "article_id", "tag_id", "article__status", "article__published_at"
    )
    TagListing.objects.bulk_create(
        TagListing(
            article_id=article_id,
            tag_id=tag_id,
            goes_out_at=READERS.goes_out_at(status, published_at),
        )
        for article_id, tag_id, status, published_at in tagged
    )


def article_saved(sender, instance, created, **kwargs):
    """A new article has no tags or bylines yet; a saved one may have a new status or time."""
    if not created:
        for rows in (TagListing.objects, ArticleAuthor.objects):
            rows.filter(article=instance).update(goes_out_at=instance.goes_out_at)


def byline_saving(sender, instance, **kwargs):
    """A byline takes its article's time as it is saved."""
    instance.goes_out_at = instance.article.goes_out_at


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
    post_save.connect(article_saved, sender=Article, dispatch_uid="listings")
    pre_save.connect(byline_saving, sender=ArticleAuthor, dispatch_uid="listings")
    m2m_changed.connect(tags_changed, sender=Article.tags.through, dispatch_uid="listings")
