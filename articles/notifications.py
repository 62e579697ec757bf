"""Who hears about an article's moves, and what they are told.

The pure part (recipients, message, messages) works on plain data: who the editors and the
authors are, what the article is called and where it is. notify() gathers that data for an
article, keeps each message for the recipient's dashboard and queues it as an email. The
workflow's services (articles/workflow.py) run it once a person's move is committed; emails go
out from the job worker, never inside the request.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from newsroom import dates, seo, tasks

SUBMITTED, PUBLISHED, SCHEDULED, SENT_BACK = "submitted", "published", "scheduled", "sent_back"
# Moves nobody is told about: the person who made them knows.
QUIET = {"withdrawn", "unpublished"}
MOVES = (SUBMITTED, PUBLISHED, SCHEDULED, SENT_BACK)


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    email: str = ""


@dataclass(frozen=True)
class Facts:
    """What a message needs to know about the article and its people."""

    headline: str
    public_url: str  # where readers see it
    desk_url: str  # its change form
    goes_out: str = ""  # the publication time as staff read it
    note: str = ""  # the note sent back with it
    authors: tuple[Person, ...] = ()  # the writers: byline logins and who started it
    editors: tuple[Person, ...] = ()  # who may publish


@dataclass(frozen=True)
class Message:
    recipient: Person
    subject: str
    body: str


def recipients(move, facts, by_id=None):
    """Who is told about `move`: editors of a submission, authors of the rest; never its maker."""
    if move in QUIET:
        return []
    if move not in MOVES:
        raise ValueError(f"No message is written for the move {move!r}.")
    people = facts.editors if move == SUBMITTED else facts.authors
    seen, chosen = {by_id}, []
    for person in people:
        if person.id not in seen:
            seen.add(person.id)
            chosen.append(person)
    return chosen


def message(move, facts, by_name, recipient):
    """The subject and body `recipient` gets about `move` of the article, made by `by_name`."""
    headline = f"“{facts.headline}”"
    if move == SUBMITTED:
        subject = f"For review: {headline}"
        lines = [f"{by_name} submitted {headline} for review.", f"Open it: {facts.desk_url}"]
    elif move == PUBLISHED:
        subject = f"Published: {headline}"
        lines = [f"{by_name} published {headline}.", f"Readers see it at {facts.public_url}"]
    elif move == SCHEDULED:
        subject = f"Scheduled: {headline}"
        lines = [
            f"{by_name} scheduled {headline} for {facts.goes_out}.",
            f"Readers will see it at {facts.public_url}",
        ]
    else:
        subject = f"Sent back to you: {headline}"
        lines = [f"{by_name} sent {headline} back to you."]
        if facts.note:
            lines.append(f"Their note: {facts.note}")
        lines.append(f"Open it: {facts.desk_url}")
    return Message(recipient, subject, "\n\n".join([f"Hello {recipient.name},", *lines]))


def messages(move, facts, by):
    """Every message about `move`; `by` is the Person who made it, or None for the clock."""
    by_name = by.name if by else "The scheduler"
    return [
        message(move, facts, by_name, person)
        for person in recipients(move, facts, by.id if by else None)
    ]


# Reading the database and sending ---------------------------------------------------------


def person(user):
    return Person(user.pk, user.get_full_name() or user.get_username(), user.email)


def editors():
    """Active staff who may publish."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="publish_article")
            | Q(user_permissions__codename="publish_article")
        )
        .distinct()
        .order_by("pk")
    )


def facts_of(article, move):
    from articles.models import ReviewNote

    authors = [b.author.user for b in article.bylines.select_related("author__user")]
    authors.append(article.created_by)
    note = ""
    if move == SENT_BACK:
        latest = ReviewNote.objects.filter(article=article, sent_back=True).last()
        note = latest.text if latest else ""
    return Facts(
        headline=article.headline,
        public_url=seo.absolute(article.get_absolute_url()),
        desk_url=seo.absolute(reverse("admin:articles_article_change", args=[article.pk])),
        goes_out=dates.desk_time(article.published_at),
        note=note,
        authors=tuple(person(user) for user in authors if user is not None and user.is_active),
        editors=tuple(person(user) for user in editors()) if move == SUBMITTED else (),
    )


def notify(move, article, by):
    """Tell those concerned about `move` of `article` by `by`: on the dashboard and by email."""
    from articles.models import Notification

    if move in QUIET:
        return []
    sent = messages(move, facts_of(article, move), person(by) if by else None)
    kept = Notification.objects.bulk_create(
        Notification(
            recipient_id=m.recipient.id,
            article=article,
            move=move,
            subject=m.subject,
            body=m.body,
        )
        for m in sent
    )
    for m in sent:
        if m.recipient.email:
            # The worker sends it; a mail server that fails is retried there, never the move.
            tasks.send_email(subject=m.subject, body=m.body, to=[m.recipient.email])
    return kept
