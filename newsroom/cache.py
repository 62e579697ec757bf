"""Redis as a cache, not a dependency.

`RedisCache` is Django's Redis cache backend for callers that must not notice Redis failing:
while Redis is down, hung or refusing, every read is a miss and every write is dropped, so
pages come from the database and saves succeed. Short socket timeouts (settings) bound the
cost of one failed call; a breaker then leaves Redis alone for `retry_after` seconds, so a
hung Redis costs one timeout every few seconds per process, not one per call. After that
one call tries again, and caching resumes by itself when it succeeds.

The outage is logged when it starts, once a minute while it lasts, and when it ends.
"""

import logging
import threading
import time

from django.core.cache.backends import redis as django_redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

LOG_EVERY = 60  # seconds between reminders that Redis is still not answering
_MISSING = object()


class Breaker:
    """Whether to call Redis now: always while it answers; after a failure, one caller
    every `retry_after` seconds."""

    def __init__(self, name, retry_after):
        self.name = name
        self.retry_after = retry_after
        self.lock = threading.Lock()
        self.down_since = None
        self.next_try = 0.0
        self.logged_at = 0.0

    def allows(self):
        if self.down_since is None:
            return True
        now = time.monotonic()
        with self.lock:
            if now < self.next_try:
                return False
            # This caller tries; the others keep going without Redis until it has answered.
            self.next_try = now + self.retry_after
            return True

    def failed(self, error):
        now = time.monotonic()
        with self.lock:
            self.next_try = now + self.retry_after
            if self.down_since is None:
                self.down_since = self.logged_at = now
                logger.warning(
                    "Redis cache %s is not answering (%s): pages come from the database; "
                    "trying again every %s s",
                    self.name,
                    error,
                    self.retry_after,
                )
            elif now - self.logged_at >= LOG_EVERY:
                self.logged_at = now
                logger.warning(
                    "Redis cache %s is still not answering after %d s (%s)",
                    self.name,
                    now - self.down_since,
                    error,
                )

    def succeeded(self):
        if self.down_since is None:
            return
        with self.lock:
            if self.down_since is not None:
                logger.warning(
                    "Redis cache %s answers again after %d s",
                    self.name,
                    time.monotonic() - self.down_since,
                )
                self.down_since = None


class ReusedClient(django_redis.RedisCacheClient):
    """Django's Redis client, keeping one redis-py client per connection pool: Django makes a
    new one for every call, which costs more than the call itself (its constructor fills a
    table of a few hundred response callbacks). redis-py clients are safe to share."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


# One breaker and one client (with its connection pool) per Redis location and process:
# Django makes a cache object per thread, and under ASGI a thread per request.
_shared = {}
_shared_lock = threading.Lock()


class RedisCache(django_redis.RedisCache):
    """Django's Redis cache, answering misses and no-ops while Redis fails.

    OPTIONS takes, besides the redis-py connection options, `retry_after`: the seconds
    Redis is left alone after a failure.
    """

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        retry_after = options.pop("retry_after", 5)
        super().__init__(server, {**params, "OPTIONS": options})
        location = ",".join(self._servers)
        key = (location, repr(sorted(options.items())), retry_after)
        with _shared_lock:
            if key not in _shared:
                client = ReusedClient(self._servers, **self._options)
                _shared[key] = (client, Breaker(location, retry_after))
        self._client, self.breaker = _shared[key]

    @property
    def _cache(self):
        return self._client

    def _safely(self, method, fallback, *args, **kwargs):
        if not self.breaker.allows():
            return fallback
        try:
            result = method(*args, **kwargs)
        except RedisError as error:
            self.breaker.failed(error)
            return fallback
        self.breaker.succeeded()
        return result

    def add(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        return self._safely(super().add, False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._safely(super().get, default, key, default, version)

    def set(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        return self._safely(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        return self._safely(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._safely(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._safely(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._safely(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        value = self._safely(super().incr, _MISSING, key, delta, version)
        if value is _MISSING:
            raise ValueError(f"Key '{key}' not found (the cache is not answering).")
        return value

    def set_many(self, data, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        return self._safely(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._safely(super().delete_many, None, keys, version)

    def clear(self):
        from newsroom import copies

        cleared = self._safely(super().clear, False)
        kept = copies.of(self)
        if kept:
            kept.cleared()
        return cleared
