"""Counting reads for "Most popular" without a database write on every page view.

Each process keeps reads in memory and writes them in one batch (one F() update per article
and day) once FLUSH_EVERY reads have gathered or FLUSH_SECONDS have passed. Bots and
signed-in staff are not counted.
"""

import re
import threading
import time
from collections import Counter
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone

from newsroom import times

FLUSH_EVERY = 500
FLUSH_SECONDS = 30
POPULAR_DAYS = 7

BOT_AGENT = re.compile(
    r"bot|crawl|spider|slurp|lighthouse|headless|preview|fetch|curl|wget|python-requests",
    re.IGNORECASE,
)

_lock = threading.Lock()
_pending = Counter()
_pending_total = 0
_last_flush = time.monotonic()


def is_reader(request):
    # From META, not request.headers: for a kept page, this is most of what its answer costs.
    if BOT_AGENT.search(request.META.get("HTTP_USER_AGENT", "")):
        return False
    if request.META.get("QUERY_STRING") and "preview" in request.GET:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated and user.is_staff)


def flush_due():
    """Whether the next read noted writes the batch."""
    return _pending_total + 1 >= FLUSH_EVERY or time.monotonic() - _last_flush >= FLUSH_SECONDS


def record_read(request, article_id, may_write=True):
    """Note one read of the article if a reader made it; flush the batch when it is due and
    `may_write` (not from an event loop, where the database may not be called: the next read
    noted elsewhere writes it)."""
    global _pending_total
    if not is_reader(request):
        return
    day = times.today()
    with _lock:
        due = flush_due()
        _pending[(article_id, day)] += 1
        _pending_total += 1
    if due and may_write:
        flush()


def flush():
    """Write the gathered reads to ArticleReads; return how many were written."""
    global _last_flush, _pending_total
    from articles.models import Article, ArticleReads

    with _lock:
        batch = dict(_pending)
        _pending.clear()
        _pending_total = 0
        _last_flush = time.monotonic()
    if not batch:
        return 0
    existing = set(
        Article.objects.filter(pk__in={a for a, _ in batch}).values_list("pk", flat=True)
    )
    with transaction.atomic():
        for (article_id, day), count in batch.items():
            if article_id not in existing:
                continue
            updated = ArticleReads.objects.filter(article_id=article_id, day=day).update(
                count=F("count") + count
            )
            if not updated:
                _, created = ArticleReads.objects.get_or_create(
                    article_id=article_id, day=day, defaults={"count": count}
                )
                if not created:
                    ArticleReads.objects.filter(article_id=article_id, day=day).update(
                        count=F("count") + count
                    )
    return sum(batch.values())


def since(days=POPULAR_DAYS):
    """The first day whose reads count."""
    return timezone.localdate() - timedelta(days=days - 1)


def popular(limit=5, days=POPULAR_DAYS, now=None, first_day=None):
    """The queryset of most_popular(), each with `total_reads`: of the articles readers may
    see at `now`, read since `first_day` (by default, the present and since(days))."""
    from articles.models import Article

    return (
        Article.objects.published(now=now)
        .filter(reads__day__gte=since(days) if first_day is None else first_day)
        .annotate(total_reads=Sum("reads__count"))
        .order_by("-total_reads", "-published_at", "-id")
        .only("headline", "slug", "published_at")[:limit]
    )


def most_popular(limit=5, days=POPULAR_DAYS):
    """The most read published articles of the last `days` days, in one query."""
    return list(popular(limit, days))
