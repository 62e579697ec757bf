"""Read an article's revisions (kept by django-reversion) and show what changed between two."""

import difflib
import threading
from contextlib import contextmanager
from dataclasses import dataclass

import reversion
from django.db.models.signals import post_save
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, ArticleAuthor, Author
from newsroom import dates


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


def bylines_of(version):
    """The versions of the article's bylines kept with `version` (a revision may hold several
    articles, when one admin action moved them all)."""
    article_id = int(version.object_id)
    return [
        v
        for v in version.revision.version_set.all()
        if v._model is ArticleAuthor and v.field_dict.get("article_id") == article_id
    ]


def snapshot_of_version(version):
    """What the article looked like in `version`, bylines included."""
    data = version.field_dict
    bylines = sorted(
        (v.field_dict.get("position", 0), v.field_dict["author_id"]) for v in bylines_of(version)
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


# What restoring a revision leaves as it is: where the article stands in the workflow (moving
# it is a step of its own), the count of saves that tells an editor someone saved meanwhile,
# its shared preview links' key, so that withdrawn links stay withdrawn, and when readers last
# saw a change (now, if the restore changes what they see).
KEPT_ON_RESTORE = ["status", "published_at", "version", "preview_key", "modified_at"]


def revert(article, version):
    """Put revision `version` of `article` back, bylines included, in the database and in
    `article`; the fields in KEPT_ON_RESTORE stay as they are. The caller saves it."""
    kept = {name: getattr(article, name) for name in KEPT_ON_RESTORE}
    seen_before = (article.reader_values(), article.author_ids())
    bylines = bylines_of(version)
    article.bylines.exclude(pk__in=[int(byline.object_id) for byline in bylines]).delete()
    version.revert()
    for byline in bylines:
        byline.revert()
    restored = Article.objects.get(pk=article.pk)
    if (restored.reader_values(), restored.author_ids()) != seen_before:
        kept["modified_at"] = timezone.now()
    Article.objects.filter(pk=article.pk).update(**kept)
    article.refresh_from_db()


def conflict_since(article, loaded):
    """Who saved `article` after version `loaded` was opened, and what they changed."""
    latest = Version.objects.get_for_object(article).select_related("revision__user").first()
    who = "Someone else"
    if latest and latest.revision.user:
        who = latest.revision.user.get_username()
    when = dates.desk_time(article.updated_at)
    before = version_with_number(article, loaded)
    changes = []
    if before is not None:
        changes = diff(snapshot_of_version(before), snapshot_of_article(article))
    return {
        "message": (
            f"{who} saved this article at {when}, while you were editing it, so your changes "
            "were not saved. What they changed is shown below. Copy your changes, reload the "
            "page and make them again on the latest version."
        ),
        "changes": changes,
        "known": before is not None,
    }
