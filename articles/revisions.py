"""Read an article's revisions (kept by django-reversion) and show what changed between two."""

import difflib
import threading
from contextlib import contextmanager
from dataclasses import dataclass

import reversion
from django.db.models.signals import post_save
from reversion.models import Version

from articles.models import Article, ArticleAuthor, Author


def register():
    """Keep revisions of articles with their bylines, for saves in the admin and elsewhere."""
    # The admin may have registered them already (VersionAdmin does so for its model).
    if not reversion.is_registered(ArticleAuthor):
        reversion.register(ArticleAuthor)
    if not reversion.is_registered(Article):
        reversion.register(Article, follow=["bylines"])
    post_save.connect(record_outside_admin, sender=Article, dispatch_uid="article_revision")


_switch = threading.local()


@contextmanager
def paused():
    """Saves made inside get no revision of their own; the caller records what it needs."""
    _switch.paused = True
    try:
        yield
    finally:
        _switch.paused = False


def record(instance, comment):
    """Keep one revision of the article as it is now, bylines included."""
    with reversion.create_revision():
        reversion.add_to_revision(instance)
        reversion.set_comment(comment)


def record_outside_admin(sender, instance, raw=False, **kwargs):
    """Saves made by code (imports, the scheduler) get a revision of their own too."""
    if raw or reversion.is_active() or getattr(_switch, "paused", False):
        return
    record(instance, "Saved outside the admin.")


@dataclass
class Snapshot:
    headline: str
    body: str
    authors: list[str]
    status: str


@dataclass
class FieldDiff:
    name: str
    lines: list[str]  # unified diff lines, without the file header


def snapshot_of_article(article):
    return Snapshot(
        headline=article.headline,
        body=article.body,
        authors=[a.name for a in article.ordered_authors],
        status=article.get_status_display(),
    )


def snapshot_of_version(version):
    """What the article looked like in `version`, bylines included."""
    data = version.field_dict
    bylines = sorted(
        (
            (v.field_dict.get("position", 0), v.field_dict["author_id"])
            for v in version.revision.version_set.all()
            if v._model is ArticleAuthor
        ),
    )
    names = dict(Author.objects.filter(pk__in=[a for _, a in bylines]).values_list("pk", "name"))
    return Snapshot(
        headline=data.get("headline", ""),
        body=data.get("body", ""),
        authors=[names.get(author_id, f"(deleted author {author_id})") for _, author_id in bylines],
        status=dict(Article._meta.get_field("status").choices).get(data.get("status"), ""),
    )


def version_with_number(article, number):
    """The revision saved with version number `number`, or None when there is none."""
    for version in Version.objects.get_for_object(article).select_related("revision"):
        if version.field_dict.get("version") == number:
            return version
    return None


def diff(old, new):
    """What differs between two snapshots, field by field, as unified diff lines."""
    changes = []
    for name in ["headline", "status", "authors", "body"]:
        before, after = getattr(old, name), getattr(new, name)
        if name == "authors":
            before, after = "\n".join(before), "\n".join(after)
        if before == after:
            continue
        lines = list(
            difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=2)
        )[2:]
        changes.append(FieldDiff(name, lines))
    return changes
