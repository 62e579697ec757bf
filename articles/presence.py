"""Who has an article open in the admin, kept in the cache from the change form's heartbeats.

An open change form says "still here" every HEARTBEAT_SECONDS; someone not heard from for
EXPIRE_SECONDS has left. One cache entry per article holds everyone in it, so that any cache
backend will do; two heartbeats crossing may lose one, which the next one puts right.
"""

from datetime import UTC, datetime

from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_SECONDS = 15
EXPIRE_SECONDS = 45


def _key(article_pk):
    return f"articles:presence:{article_pk}"


def _current(article_pk, now):
    people = cache.get(_key(article_pk)) or {}
    return {
        uid: seen
        for uid, seen in people.items()
        if now.timestamp() - seen["seen"] <= EXPIRE_SECONDS
    }


def here(article_pk, user):
    """Note that `user` has the article open now; return the others who have it open."""
    now = timezone.now()
    people = _current(article_pk, now)
    mine = people.get(user.pk) or {"since": now.timestamp()}
    people[user.pk] = {
        "name": user.get_full_name() or user.get_username(),
        "since": mine["since"],
        "seen": now.timestamp(),
    }
    cache.set(_key(article_pk), people, EXPIRE_SECONDS * 2)
    return others(article_pk, user, people)


def gone(article_pk, user):
    """Note that `user` closed the article."""
    people = _current(article_pk, timezone.now())
    if people.pop(user.pk, None) is not None:
        cache.set(_key(article_pk), people, EXPIRE_SECONDS * 2)


def others(article_pk, user, people=None):
    """The others with the article open: [{"name", "since" (aware datetime)}], longest first."""
    if people is None:
        people = _current(article_pk, timezone.now())
    return sorted(
        (
            {
                "name": seen["name"],
                "since": datetime.fromtimestamp(seen["since"], tz=UTC),
            }
            for uid, seen in people.items()
            if uid != user.pk
        ),
        key=lambda person: person["since"],
    )
