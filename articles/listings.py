"""Where readers' lists of an author's or a tag's articles read from: the bylines and the tag
listings (TagListing), each with a copy of its article's goes_out_at and date_modified, kept in
step with the articles, their tags and bylines here, and only here. An author's or a tag's page
then reads its 20 rows in order from one index, however many articles a desk has signed or a
tag holds, and the sitemap dates that page from the same index entries.

Readers' lists still ask `published()`: a copied time only tells a page which articles to
read, in order. A restored revision puts back tags and bylines under the time the revision had;
the save that follows every restore (revisions.revert) copies the article's time again. A
change written to an article with `update()` (its authors, a correction) is copied with
`article_changed()`.
"""

from django.db.models import F, Subquery
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.utils import timezone

from articles.models import Article, ArticleAuthor, TagListing

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


class Newest(Subquery):
    """The greatest value of a sliced query's one column, in SQL: the query's rows are read
    in its order, as many as its slice asks, and only then compared."""

    template = "(SELECT MAX(sliced.newest) FROM (%(subquery)s) sliced)"


def newest_change(listing, subject, count, now=None):
    """The newest `date_modified` of the `count` newest articles readers may see of `subject`
    (the first page of its own), as a query expression: read from the listing's own index
    entries, however many articles the subject has."""
    rows = seen(listing, subject, now)
    if listing is SECTION:
        dates = rows.order_by("-published_at", "-pk").values(newest=Article.date_modified_in_sql())
    else:
        dates = rows.order_by("-goes_out_at", "-article_id").values(newest=F("changed_at"))
    return Newest(dates[:count])


ARTICLE_FIELDS = ("status", "published_at", "modified_at")  # what the listings copy is made of


def copied(article):
    """What a byline or tag listing copies of `article`."""
    return {"goes_out_at": article.goes_out_at, "changed_at": article.date_modified}


def refresh(article_ids):
    """Make the tag listings of these articles again from their tags and times."""
    ids = list(article_ids)
    TagListing.objects.filter(article_id__in=ids).delete()
    articles = Article.objects.only(*ARTICLE_FIELDS).in_bulk(ids)
    tagged = Article.tags.through.objects.filter(article_id__in=ids)
    TagListing.objects.bulk_create(
        TagListing(article_id=article_id, tag_id=tag_id, **copied(articles[article_id]))
        for article_id, tag_id in tagged.values_list("article_id", "tag_id")
    )


def article_changed(article_id):
    """Copy an article's time and date to its listings again, after a change written to it
    with `update()`."""
    article = Article.objects.only(*ARTICLE_FIELDS).filter(pk=article_id).first()
    if article is not None:
        copy_to_listings(article)


def copy_to_listings(article):
    for rows in (TagListing.objects, ArticleAuthor.objects):
        rows.filter(article=article).update(**copied(article))


def article_saved(sender, instance, created, **kwargs):
    """A new article has no tags or bylines yet; a saved one may have a new status or time."""
    if not created:
        copy_to_listings(instance)


def byline_saving(sender, instance, **kwargs):
    """A byline takes its article's time and date as it is saved."""
    for name, value in copied(instance.article).items():
        setattr(instance, name, value)


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
