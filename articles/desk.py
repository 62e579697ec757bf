"""The change form's workflow buttons: which a person sees, and what pressing one does.

Each button makes one move through the workflow's service for it, and ends with a sentence
that says what happened and where readers see the article. The people concerned are told
(notifications.notify) once the move is committed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from articles import notifications, workflow
from articles.models import ReviewNote, Status
from newsroom import dates, roles

D, R, S, P, U = Status.DRAFT, Status.REVIEW, Status.SCHEDULED, Status.PUBLISHED, Status.UNPUBLISHED


@dataclass(frozen=True)
class Button:
    name: str  # what the button posts as "_workflow"
    label: str
    to: str  # the status it moves the article to
    needs: str = ""  # "note" or "time": what the editor gives with it
    tells: str = ""  # the notifications move, if anyone is told
    look: str = ""  # "primary" or "danger", for the style sheet


SUBMIT = Button("submit", "Submit for review", R, tells=notifications.SUBMITTED, look="primary")
PUBLISH = Button("publish", "Publish now", P, tells=notifications.PUBLISHED, look="primary")
SCHEDULE = Button("schedule", "Schedule…", S, needs="time", tells=notifications.SCHEDULED)
SEND_BACK = Button(
    "send_back", "Send back to writer", D, needs="note", tells=notifications.SENT_BACK
)
WITHDRAW = Button("withdraw", "Withdraw", D)
UNPUBLISH = Button("unpublish", "Unpublish", U, look="danger")

BUTTONS = {b.name: b for b in (SUBMIT, PUBLISH, SCHEDULE, SEND_BACK, WITHDRAW, UNPUBLISH)}

# Whom a move made with the status list tells, as its button would.
TELLS = {R: notifications.SUBMITTED, S: notifications.SCHEDULED, P: notifications.PUBLISHED}


def buttons_for(user, status):
    """The buttons `user` may press on an article now in `status` (None: not saved yet)."""
    old = status or D
    editor = not roles.is_contributor_only(user)
    shown = []
    for button in BUTTONS.values():
        if button.to == old or not workflow.may_move(user, old, button.to):
            continue
        # From review, an editor sends the article back with a note; its writer withdraws it.
        if old == R and button in (SEND_BACK, WITHDRAW) and (button is SEND_BACK) != editor:
            continue
        if button is SEND_BACK and old != R:
            continue
        shown.append(button)
    return shown


def press(button, *, article, by, at=None, note=""):
    """Make the button's move with the workflow's service; return what to tell the presser.

    Raises workflow.WorkflowRefused, saying why, when the move may not be made.
    """
    with transaction.atomic():
        if button is SEND_BACK:
            if not note.strip():
                raise workflow.WorkflowRefused("Say in a note what the writer should change.")
            workflow.withdraw(article=article, by=by, note=note.strip())
            ReviewNote.objects.create(
                article=article, written_by=by, text=note.strip(), sent_back=True
            )
        elif button is SCHEDULE:
            workflow.schedule(article=article, by=by, at=at)
        else:
            workflow.move(article=article, by=by, to=button.to)
        if button.tells:
            transaction.on_commit(lambda: notifications.notify(button.tells, article, by))
    return outcome(button, article)


def outcome(button, article):
    """What happened, and where readers see the article, in one sentence."""
    address = article.get_absolute_url()
    if button is PUBLISH:
        return f"Published — live at {address}"
    if button is SCHEDULE:
        return (
            f"Scheduled for {dates.desk_time(article.published_at)} — readers will see it "
            f"at {address}"
        )
    if button is SUBMIT:
        return "Submitted for review — the editors are told, and it waits in their review queue."
    if button is SEND_BACK:
        return "Sent back to the writer with your note — it is a draft again, not seen by readers."
    if button is UNPUBLISH:
        return f"Unpublished — readers no longer see {address}"
    return "Withdrawn — it is a draft again, not seen by readers."
