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

from dataclasses import dataclass, field
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
from newsroom import audit, dates, roles
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

# Statuses in which editors or readers see the byline: an article in one needs an author, and
# a move to one is named in the refusal.
NEEDS_AUTHOR = {R: "submitting it for review", S: "scheduling it", P: "publishing it"}

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


def author_refusal(*, old, new, has_authors):
    """Why an article going from status `old` to `new` (or staying, when they are the same)
    may not be left with an empty byline, or None when it may.

    Checked where the byline is known: the change form, before its authors are saved with the
    article; the list's actions; and publish_due. The services themselves do not look, because
    the admin saves the authors after the move.
    """
    if has_authors or new not in NEEDS_AUTHOR:
        return None
    if old == new:
        return (
            f"An article that is “{Status(new).label}” needs at least one author: the byline "
            "may not be empty."
        )
    return f"Add at least one author before {NEEDS_AUTHOR[new]}: the byline may not be empty."


def audit_note(article, old):
    """What an audit entry for a move says when its caller gives no note."""
    note = f"From {Status(old or D).label}"
    if article.published_at and article.status in (S, P):
        note += f"; publication time {dates.desk_time(article.published_at)}"
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
    when = dates.desk_time(version.revision.date_created)
    if reversion.is_active():
        reversion.set_comment(f"Restored the revision of {when}.")
    return audit.record(by, Action.RESTORED, article, note or f"Revision of {when}")


HELD_NOTE = (
    "Its publication time came with an empty byline, so it was not marked published; readers "
    "see it from that time all the same. Add an author to it."
)


@dataclass
class Due:
    """What publish_due did: the articles it published, and those it left without an author."""

    published: list[Article] = field(default_factory=list)
    held: list[Article] = field(default_factory=list)


def publish_due() -> Due:
    """Mark scheduled articles whose time has come as published, the clock publishing them.

    Readers see them at their time anyway (published() goes by the clock); this tidies the
    status and records the move. An article without an author is not published: it stays
    scheduled, and the audit log says why, once.
    """
    now = timezone.now()
    done = Due()
    with transaction.atomic():
        due = (
            Article.objects.select_for_update()
            .published(now)
            .filter(status=S)
            .order_by("published_at")
        )
        for article in due:
            if author_refusal(old=S, new=P, has_authors=article.bylines.exists()):
                done.held.append(article)
                last = audit.for_object(article).values_list("action", flat=True).first()
                if last != Action.HELD:
                    audit.record(None, Action.HELD, article, HELD_NOTE)
                continue
            publish(
                article=article, by=None, at=article.published_at, note="Scheduled time reached"
            )
            done.published.append(article)
    return done
