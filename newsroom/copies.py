"""Each server process's own copies of the page cache: the two tokens, and the pages and
fragments it read or made last, used with no call to Redis for as long as Redis tells the
process of every change.

Without them the page cache (newsroom/freshness.py) asks Redis for the tokens and the page on
every request: one round trip, which costs more than the rest of a cached answer together.
Every token written is also published on a channel of Redis, to which each process subscribes;
before trusting its copies, a process reads, without waiting, what was published since. Redis
sends a message to its subscribers before it answers the PUBLISH, and an edit's answer leaves
after its tokens are written, so the request that follows an edit finds the message waiting.

Copies are used only while the subscription stands. When it breaks (Redis stopped, restarted,
the connection cut) they are dropped and each request reads Redis as before; the process
subscribes again at most once every `retry_after` seconds (the cache's, newsroom/cache.py).
A token's copy is trusted for TRUST_SECONDS at most, so that a change told in no message (a
token evicted or cleared, a PUBLISH that failed after its SET) costs a second, not more.

Only with Redis (newsroom.cache.RedisCache); with the local-memory cache every read is local
already, and with the dummy cache nothing is kept. PAGE_COPIES is how many pages and
fragments (newsroom/freshness.py) a process keeps (0: none, and no copies of the tokens
either). A fragment's key names the tokens it was made under, so its copy needs no message.
"""

import collections
import os
import select
import threading
import time

import redis
from django.conf import settings
from django.core.cache import caches
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

TRUST_SECONDS = 1.0
# How long a new subscription may take to be confirmed before the process goes on without.
SUBSCRIBE_SECONDS = 0.5
CHANNEL = "freshness:tokens"
# The message of cache.clear(): every copy goes.
CLEARED = b"*"


class Copies:
    """One process's copies, for one Redis cache."""

    def __init__(self, cache):
        self.cache = cache
        self.lock = threading.Lock()
        self.pid = os.getpid()
        self.subscription = None
        self.waiting = None  # a poll() of the subscription's socket: whether a message waits
        self.next_try = 0.0
        self.tokens = {}  # key: (state, when read, monotonic)
        self.entries = collections.OrderedDict()  # key: (page or fragment, until, monotonic)

    @property
    def channel(self):
        return self.cache.make_key(CHANNEL)

    def usable(self, subscribe=True):
        """Whether the copies may be trusted now, having read what was published since the
        last call; False while there is no subscription (and none can be made yet, or
        `subscribe` is False: from an event loop, which must not wait for Redis, nor for a
        thread that is subscribing)."""
        if not self.lock.acquire(blocking=subscribe):
            return False
        try:
            return self._read_messages(subscribe)
        finally:
            self.lock.release()

    def _read_messages(self, subscribe):
        if self.pid != os.getpid():  # a forked worker: the parent's socket is not its own
            self.subscription, self.pid, self.next_try = None, os.getpid(), 0.0
            self._drop()
        if self.subscription is None and not (subscribe and self._subscribe()):
            return False
        # One system call when nothing waits, where the client's own look costs several. A
        # look that found nothing left the client's buffer empty, so the socket tells.
        return not self.waiting.poll(0) or self._drain()

    def _drain(self):
        """Read every message waiting; False if the subscription broke (and is dropped)."""
        try:
            while message := self.subscription.get_message(timeout=0):
                if message["type"] != "message":
                    continue
                if message["data"] == CLEARED:
                    self._drop()
                else:
                    self.tokens.pop(message["data"].decode(), None)
        except (RedisError, OSError, ValueError):
            self._unsubscribed()
            return False
        return True

    def _subscribe(self):
        now = time.monotonic()
        if now < self.next_try:
            return False
        self.next_try = now + self.cache.breaker.retry_after
        options = self.cache._client._pool_options
        # No retries: a broken subscription is dropped, never silently made again, since the
        # messages sent meanwhile are lost.
        client = redis.Redis.from_url(
            self.cache._servers[0],
            socket_connect_timeout=options.get("socket_connect_timeout"),
            socket_timeout=options.get("socket_timeout"),
            retry=Retry(NoBackoff(), 0),
        )
        subscription = client.pubsub()
        try:
            subscription.subscribe(self.channel)
            confirmed = subscription.get_message(timeout=SUBSCRIBE_SECONDS)
        except (RedisError, OSError):
            subscription.close()
            return False
        if not confirmed or confirmed["type"] != "subscribe":
            subscription.close()
            return False
        # Whatever was kept before may have changed unheard.
        self._drop()
        self.subscription = subscription
        self.waiting = select.poll()
        self.waiting.register(subscription.connection._sock, select.POLLIN | select.POLLPRI)
        # A message read with the confirmation and left in the client's buffer is read with
        # the next one: it can only tell of a token changed before any was kept.
        return True

    def _unsubscribed(self):
        try:
            self.subscription.close()
        except (RedisError, OSError):
            pass
        self.subscription = self.waiting = None
        self._drop()

    def _drop(self):
        self.tokens.clear()
        self.entries.clear()

    def token(self, key):
        """The copy of a token's state, or None (missing, or older than TRUST_SECONDS)."""
        kept = self.tokens.get(key)
        if kept is None or time.monotonic() - kept[1] > TRUST_SECONDS:
            return None
        return kept[0]

    def keep_token(self, key, state):
        """Keep a told value (a token, a page's date) for TRUST_SECONDS. Every page made keeps
        its date here, so past PAGE_COPIES values those no longer trusted are let go."""
        # Kept while unsubscribed, it is dropped when the subscription is made again.
        if state is None:
            return
        now = time.monotonic()
        with self.lock:
            if len(self.tokens) >= settings.PAGE_COPIES:
                self.tokens = {
                    told: kept
                    for told, kept in self.tokens.items()
                    if now - kept[1] <= TRUST_SECONDS
                }
            self.tokens[key] = (state, now)

    def read(self, *tokens, page):
        """{key: value} of the tokens and the page, as the cache's get_many() would answer,
        if every one of them is kept here; else None."""
        found = {key: self.token(key) for key in tokens}
        entry = self.entry(page)
        if entry is None or None in found.values():
            return None
        return {**found, page: entry}

    def entry(self, key):
        """The copy of a page or a fragment, or None."""
        kept = self.entries.get(key)
        if kept is None or time.monotonic() > kept[1]:
            return None
        return kept[0]

    def keep(self, found, *, page, seconds):
        """Keep what the cache's get_many() answered: the tokens and the page."""
        for key, value in found.items():
            if key == page:
                self.keep_entry(key, value, seconds)
            else:
                self.keep_token(key, value)

    def keep_entry(self, key, entry, seconds):
        """Keep a page or a fragment for `seconds`, dropping the least recently kept beyond
        PAGE_COPIES."""
        if entry is None:
            return
        with self.lock:
            self.entries[key] = (entry, time.monotonic() + seconds)
            self.entries.move_to_end(key)
            while len(self.entries) > settings.PAGE_COPIES:
                self.entries.popitem(last=False)

    def published(self, key):
        """Tell every process (this one too) that the token `key` was written."""
        with self.lock:
            self.tokens.pop(key, None)
        self._tell(key)

    def cleared(self):
        """Tell every process (this one too) that the cache was emptied."""
        with self.lock:
            self._drop()
        self._tell(CLEARED)

    def _tell(self, message):
        try:
            self.cache._cache.get_client(write=True).publish(self.channel, message)
        except RedisError:
            pass  # the subscriptions broke as well, and their copies go with them


_copies = {}
_copies_lock = threading.Lock()
# The CACHES setting of()'s last answer for the default cache was for, and that answer: a page
# asks a dozen times, and finding the default cache costs more than the rest of the answer.
_default = (None, None)


def of(cache=None):
    """The copies of the default cache when it is Redis and PAGE_COPIES allows, else None."""
    global _default
    if not settings.PAGE_COPIES:
        return None
    if cache is None:
        configured, copies = _default
        if configured is settings.CACHES:
            return copies
        copies = of(caches["default"])
        _default = (settings.CACHES, copies)
        return copies
    if not hasattr(cache, "breaker"):
        return None
    key = id(cache.breaker)  # one per Redis location and process, as the breaker
    copies = _copies.get(key)
    if copies is None:
        with _copies_lock:
            copies = _copies.setdefault(key, Copies(cache))
    return copies


def told_value(key):
    """cache.get(key) for a value whose every write is told to all processes (written()):
    from this process's copy while it may be trusted, else from the cache, then kept."""
    kept = usable()
    value = kept.token(key) if kept else None
    if value is None:
        value = caches["default"].get(key)
        if kept:
            kept.keep_token(key, value)
    return value


def written(key):
    """Tell every process that the value under `key` changed (see told_value())."""
    kept = of()
    if kept:
        kept.published(key)


def usable(subscribe=True):
    """The copies, when they may be trusted for this request, else None."""
    copies = of()
    return copies if copies is not None and copies.usable(subscribe) else None
