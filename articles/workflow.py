"""Which status moves each role may make, in one place.

A move needs the permission named in MOVES; staying in the same status, or a move that names no
permission, needs only the right to edit the article. A new article starts from a draft.
"""

from django.utils import timezone

from articles.models import Article, Status
from newsroom import audit

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


def may_move(user, old, new):
    if old == new:
        return True
    if (old, new) not in MOVES:
        return False
    permission = MOVES[old, new]
    return permission is None or user.has_perm(permission)


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
    return None


def audit_action(old, new):
    """The audit entry a move deserves, if any."""
    if old == new:
        return None
    return {P: "published", S: "scheduled", U: "unpublished"}.get(new)


def publish_due(now=None):
    """Mark scheduled articles whose time has come as published; return them.

    Readers see them at their time anyway (published() goes by the clock); this only tidies
    the status and records who published them: the clock.
    """
    now = now or timezone.now()
    due = list(Article.objects.filter(status=S, published_at__lte=now).order_by("published_at"))
    for article in due:
        article.status = P
        article.save(update_fields=["status"])
        audit.record(None, "published", article, "Scheduled time reached")
    return due
