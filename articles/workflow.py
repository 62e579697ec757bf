"""The editorial workflow: which status moves each role may make, and the services that make them.

MOVES is the one table of moves. A move needs the permission it names; staying in the same
status, or a move that names no permission, needs only the right to edit the article. A new
article starts from a draft.

The services (submit, publish, schedule, unpublish, withdraw, send_back, restore) are what the
admin, the commands and the importer call to change an article's status. Each takes keyword
arguments, runs in one transaction that includes its audit entry, and raises WorkflowRefused,
saying why, when the move is not allowed. `by=None` is the clock or a command, which may make
any move in MOVES. A service takes the article as it stands and does not read it again: lock its
row first (select_for_update) where someone else may be changing it at the same time.

A move a person makes tells those concerned once it is committed (articles/notifications.py):
the editors of a submission, the authors of a publication, a schedule or a sending back. What
the clock and commands do (`by=None`) tells nobody.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from articles import notifications, revisions
from articles.models import Article, ReviewNote, Status
from newsroom import audit, roles
from newsroom.models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from reversion.models import Version

D, R, S, P, U = Status.DRAFT, Status.REVIEW, Status.SCHEDULED, Status.PUBLISHED, Status.UNPUBLISHED

PUBLISH = "articles.publish_article"
SCHEDULE = "articles.schedule_article"
UNPUBLISH = "articles.unpublish_article"

MOVES = {
    (D, R): None,  # submit for review
    (R, D): None,  # withdraw from review, or send back to the writer
    (U, D): None,
    (D, P): PUBLISH,
    (R, P): PUBLISH,
    (S, P): PUBLISH,
    (U, P): PUBLISH,
    (D, S): SCHEDULE,
    (R, S): SCHEDULE,
    (U, S): SCHEDULE,
    (P, U): UNPUBLISH,
    (S, U): UNPUBLISH,
    (S, D): UNPUBLISH,
}

# Statuses a contributor may still edit their own article in.
CONTRIBUTOR_EDITABLE = {D, R}

Action = AuditEntry.Action


# Sent by every move, inside its transaction, after the save and the audit entry: with the
# article, the status it left (`old`), whether readers saw it before (`was_public`) and `by`.
moved = Signal()


class WorkflowRefused(ValidationError):
    """A move the workflow does not allow; the message says why, and where the article can go."""


def may_edit(user, status):
    """Whether `user` may change an article that is in `status` (None, the clock, always may)."""
    if user is None:
        return True
    if not user.has_perm("articles.change_article"):
        return False
    return status in CONTRIBUTOR_EDITABLE or not roles.is_contributor_only(user)


def may_move(user, old, new):
    if old == new:
        return True
    if (old, new) not in MOVES:
        return False
    permission = MOVES[old, new]
    return permission is None or user is None or user.has_perm(permission)


def allowed_statuses(user, old):
    """The statuses `user` may give an article now in status `old` (None for a new one)."""
    old = old or D
    return [status for status in Status if may_move(user, old, status)]


def refusal(user, old, new, published_at=None):
    """Why `user` may not move an article from `old` to `new`, or None when they may."""
    old = old or D
    if not may_move(user, old, new):
        if (old, new) in MOVES:
            return (
                f"You may not move an article from “{Status(old).label}” to "
                f"“{Status(new).label}”: that needs an editor."
            )
        onward = [Status(s).label for s in allowed_statuses(user, old) if s != old]
        return (
            f"An article cannot go from “{Status(old).label}” to “{Status(new).label}”. "
            f"From here it can go to: {', '.join(onward) or 'nowhere'}."
        )
    if new == S and old != S and (published_at is None or published_at <= timezone.now()):
        return "Choose a publication time in the future to schedule, or choose “Published”."
    if new == P and old != P and published_at is not None and published_at > timezone.now():
        return "Choose a publication time that has come to publish, or choose “Scheduled”."
    return None


def audit_note(article, old):
    """What an audit entry for a move says when its caller gives no note."""
    note = f"From {Status(old or D).label}"
    if article.published_at and article.status in (S, P):
        when = timezone.localtime(article.published_at).strftime("%Y-%m-%d %H:%M")
        note += f"; publication time {when}"
    return note


def _move(article, by, new, action, note, published_at=None, tells=""):
    old = article.status
    if old == new:
        raise WorkflowRefused(f"“{article}” is already “{Status(new).label}”.")
    if not may_edit(by, old):
        raise WorkflowRefused(
            f"You may not change an article that is “{Status(old).label}”: that needs an editor."
        )
    why = refusal(by, old, new, published_at or article.published_at)
    if why:
        raise WorkflowRefused(why)
    was_public = article.is_public
    with transaction.atomic():
        article.status = new
        if published_at is not None:
            article.published_at = published_at
        article.save()
        audit.record(by, action, article, note or audit_note(article, old))
        moved.send(Article, article=article, old=old, was_public=was_public, by=by)
        if tells and by is not None:
            transaction.on_commit(partial(notifications.notify, tells, article, by))
    return article


def submit(*, article: Article, by: User | None, note: str = "") -> Article:
    """Send a draft to the editors for review."""
    return _move(article, by, R, Action.SUBMITTED, note, tells=notifications.SUBMITTED)


def publish(
    *, article: Article, by: User | None, at: datetime | None = None, note: str = ""
) -> Article:
    """Put the article out to readers, at `at` (a time that has come) or now.

    Without `at` an article keeps the publication time it had, once that time has come, so
    republishing keeps it; otherwise it goes out now.
    """
    if at is None:
        now = timezone.now()
        at = article.published_at
        if at is None or at > now:
            at = now
    return _move(article, by, P, Action.PUBLISHED, note, at, tells=notifications.PUBLISHED)


def schedule(
    *, article: Article, by: User | None, at: datetime | None = None, note: str = ""
) -> Article:
    """Have the article go out at `at`, a time still to come (by default its publication time)."""
    return _move(article, by, S, Action.SCHEDULED, note, at, tells=notifications.SCHEDULED)


def unpublish(*, article: Article, by: User | None, note: str = "") -> Article:
    """Take the article away from readers, published or still scheduled."""
    return _move(article, by, U, Action.UNPUBLISHED, note)


def withdraw(*, article: Article, by: User | None, note: str = "") -> Article:
    """Take the article back to a draft: out of review, off the schedule, or once unpublished."""
    return _move(article, by, D, Action.WITHDRAWN, note)


def send_back(*, article: Article, by: User | None, note: str) -> Article:
    """Return the article to its writer as a draft, with a note of what to change: the note
    joins its review notes and goes to its authors."""
    note = note.strip()
    if not note:
        raise WorkflowRefused("Say in a note what the writer should change.")
    with transaction.atomic():
        _move(article, by, D, Action.WITHDRAWN, note, tells=notifications.SENT_BACK)
        ReviewNote.objects.create(article=article, written_by=by, text=note, sent_back=True)
    return article


SERVICES = {R: submit, P: publish, S: schedule, U: unpublish, D: withdraw}


def move(*, article: Article, by: User | None, to: str, note: str = "") -> Article:
    """Make the move that takes the article to status `to`, with the service for it."""
    return SERVICES[to](article=article, by=by, note=note)


def restore(*, article: Article, version: Version, by: User | None, note: str = "") -> Article:
    """Bring back revision `version` of the article: its words, authors and pictures.

    Its status, publication time and version count stay as they are. One save, kept as a
    revision of its own and in the audit log.
    """
    if version.object_id != str(article.pk) or version._model is not Article:
        raise WorkflowRefused(f"That revision is not one of “{article}”.")
    if not may_edit(by, article.status):
        raise WorkflowRefused(
            f"You may not restore an article that is “{Status(article.status).label}”: "
            "that needs an editor."
        )
    with transaction.atomic(), reversion.create_revision():
        if by is not None:
            reversion.set_user(by)
        revisions.revert(article, version)
        article.save()
        record_restore(article=article, version=version, by=by, note=note)
    return article


def record_restore(*, article: Article, version: Version, by: User | None, note: str = ""):
    """Say in the revision being saved and in the audit log that `version` was brought back."""
    when = timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M")
    if reversion.is_active():
        reversion.set_comment(f"Restored the revision of {when}.")
    return audit.record(by, Action.RESTORED, article, note or f"Revision of {when}")


def publish_due(now: datetime | None = None) -> list[Article]:
    """Mark scheduled articles whose time has come as published; return them.

    Readers see them at their time anyway (published() goes by the clock); this only tidies
    the status and records who published them: the clock.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Article.objects.select_for_update()
            .published(now)
            .filter(status=S)
            .order_by("published_at")
        )
        for article in due:
            publish(
                article=article, by=None, at=article.published_at, note="Scheduled time reached"
            )
    return due
