"""Keep derived data in step with edits: hero renditions and the public page cache."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from articles import caching, images


def make_hero_renditions(sender, instance, raw=False, created=False, update_fields=None, **kwargs):
    if raw or (created and not instance.hero_image):
        return
    if update_fields is not None and "hero_image" not in update_fields:
        return
    images.update_renditions(instance)


def connect():
    from articles.models import Article, ArticleAuthor, Author, HeroRenditions, Section, Tag
    from feed.models import FeedItem

    post_save.connect(make_hero_renditions, sender=Article, dispatch_uid="hero_renditions")
    post_delete.connect(
        images.delete_rendition_files, sender=HeroRenditions, dispatch_uid="hero_rendition_files"
    )
    for model in (Article, ArticleAuthor, Author, Section, Tag, FeedItem):
        for signal in (post_save, post_delete):
            signal.connect(caching.bump_on_change, sender=model, dispatch_uid=f"pages-{model}")
    for through in (Article.tags.through, Article.related_articles.through):
        m2m_changed.connect(caching.bump_on_change, sender=through, dispatch_uid=f"pages-{through}")
