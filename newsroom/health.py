"""/healthz: whether this server can reach its database and its cache, for load balancers
and monitoring. Cheap: one query, one cache write and read, no template."""

import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

NOT_ANSWERING = "not answering"


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def cache_answers():
    """Write a fresh value and read it back: a cache that drops writes counts as down."""
    value = uuid.uuid4().hex
    key = f"healthz:{value}"  # one key per check, as several servers may share the cache
    cache.set(key, value, 10)
    return cache.get(key) == value


@never_cache
@require_safe
def healthz(request):
    checks = {"database": database_answers(), "cache": cache_answers()}
    report = {name: "ok" if answers else NOT_ANSWERING for name, answers in checks.items()}
    down = [name for name, answers in checks.items() if not answers]
    if down:
        report["error"] = f"Not answering: {', '.join(down)}."
    return JsonResponse(report, status=503 if down else 200)
