"""The change form's workflow buttons: which a person sees, and what pressing one does.

Each button makes one move through the workflow's service for it (which tells the people
concerned once the move is committed), and ends with a sentence that says what happened and
where readers see the article.
"""

from __future__ import annotations

from dataclasses import dataclass

from articles import workflow
from articles.models import Status
from newsroom import dates, roles

D, R, S, P, U = Status.DRAFT, Status.REVIEW, Status.SCHEDULED, Status.PUBLISHED, Status.UNPUBLISHED


@dataclass(frozen=True)
class Button:
    name: str  # what the button posts as "_workflow"
    label: str
    to: str  # the status it moves the article to
    needs: str = ""  # "note" or "time": what the editor gives with it
    look: str = ""  # "primary" or "danger", for the style sheet


SUBMIT = Button("submit", "Submit for review", R, look="primary")
PUBLISH = Button("publish", "Publish now", P, look="primary")
SCHEDULE = Button("schedule", "Schedule…", S, needs="time")
SEND_BACK = Button("send_back", "Send back to writer", D, needs="note")
WITHDRAW = Button("withdraw", "Withdraw", D)
UNPUBLISH = Button("unpublish", "Unpublish", U, look="danger")

BUTTONS = {b.name: b for b in (SUBMIT, PUBLISH, SCHEDULE, SEND_BACK, WITHDRAW, UNPUBLISH)}


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


def pressed(data):
    """The button a posted change form pressed (its "_workflow"), or None."""
    return BUTTONS.get(data.get("_workflow", ""))


def press(button, *, article, by, at=None, note=""):
    """Make the button's move with the workflow's service; `outcome()` says what it did.

    Raises workflow.WorkflowRefused, saying why, when the move may not be made.
    """
    if button is SEND_BACK:
        workflow.send_back(article=article, by=by, note=note)
    elif button is SCHEDULE:
        workflow.schedule(article=article, by=by, at=at)
    else:
        workflow.move(article=article, by=by, to=button.to)


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
