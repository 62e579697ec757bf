"""Old addresses of renamed articles, sections, authors and tags, sent on to where they are now.

When the slug of something readers could reach changes, its old address is kept as a Redirect
to the thing itself (not to its new address), so renaming twice still sends the first address
straight to the current one. Addresses are looked up only when a request would be a 404.
"""

from django.db.models.functions import Length
from django.urls import Resolver404, resolve

from articles.models import REDIRECT_TARGETS, Article, Author, Redirect, Section, Tag

MOVABLE = (Article, Section, Author, Tag)


def movable_addresses():
    """Where the pages of things with slugs live: ("/news/", "/sections/", ...)."""
    return tuple(model(slug="-").get_absolute_url().removesuffix("-/") for model in MOVABLE)


def readers_address(model, pk):
    """The address readers can reach row `pk` at, as it is in the database; None if none."""
    rows = model._default_manager.filter(pk=pk)
    if model is Article:
        rows = rows.published()
    slug = rows.values_list("slug", flat=True).first()
    return model(slug=slug).get_absolute_url() if slug else None


def moved(instance, old_address):
    """Record that `instance`, once at `old_address`, is now at its current address."""
    if old_address is None:  # new, or not a page readers could open: nothing moved
        return
    new_address = instance.get_absolute_url()
    if old_address == new_address:
        return
    # Where it is now is a real page again, whatever moved away from there before.
    Redirect.objects.filter(old_path=new_address).delete()
    kind = type(instance)._meta.model_name
    Redirect.objects.update_or_create(
        old_path=old_address,
        defaults={name: instance if name == kind else None for name in REDIRECT_TARGETS},
    )


def readers_may_open(target):
    return target.is_public if isinstance(target, Article) else True


def new_address(path):
    """Where what was at `path` is now, or None: the longest old address `path` starts with
    (so that /sections/old/rss/ follows /sections/old/), if the result is a page of the site."""
    too_long = len(path) > Redirect._meta.get_field("old_path").max_length
    if too_long or not path.startswith(movable_addresses()):
        return None
    starts = [path[: end + 1] for end, character in enumerate(path) if character == "/" and end]
    redirect = (
        Redirect.objects.filter(old_path__in=starts)
        .select_related(*REDIRECT_TARGETS)
        .order_by(Length("old_path").desc())
        .first()
    )
    if redirect is None or not readers_may_open(redirect.target):
        return None
    address = redirect.target.get_absolute_url() + path[len(redirect.old_path) :]
    if address == path:
        return None
    try:
        resolve(address)
    except Resolver404:
        return None
    return address
