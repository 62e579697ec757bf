"""What readers may see of rows that go out at a time: articles and feed items.

Readers see a row once its status is one that goes out and its publication time
(`published_at`) has come. A model names its statuses once, in a `Visibility`, and every form
of the rule comes from that: the query of `published()`, its exact complement (which search
counts with), the query of `upcoming()`, and the same decision for a row in hand, made without
a query (`is_public`; tests/rules.py checks it against `published()` for every status and time).
"""

from django.db.models import Q
from django.utils import timezone


class Visibility:
    def __init__(self, statuses, going_out):
        self.going_out = tuple(going_out)
        self.held = tuple(status for status in statuses if status not in self.going_out)

    def see(self, prefix="", now=None):
        """The condition of `published()` at `now` (the present by default). With `prefix`
        ("article__"), through a relation, for queries of other tables that must join rather
        than ask a subquery (search entries)."""
        return Q(
            **{
                f"{prefix}status__in": self.going_out,
                f"{prefix}published_at__lte": now or timezone.now(),
            }
        )

    def will_see(self, now=None):
        """The condition of `upcoming()`: going out, at a time still ahead."""
        return Q(status__in=self.going_out, published_at__gt=now or timezone.now())

    def do_not_see(self, now=None):
        """Exactly what `see()` leaves out, as conditions that the status index finds one by one
        (joined by OR they make one that no index finds): the other statuses, and `will_see()`.
        The tables' constraints keep statuses to the model's choices and give every row that
        goes out a time."""
        return (Q(status__in=self.held), self.will_see(now))

    def goes_out_at(self, status, published_at):
        """When readers see a row with these values, whether past or still ahead; None if never."""
        return published_at if status in self.going_out else None

    def can_see(self, status, published_at, now=None):
        """`see()` for a row in hand, decided here without a query."""
        moment = self.goes_out_at(status, published_at)
        return moment is not None and moment <= (now or timezone.now())
