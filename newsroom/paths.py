"""The path of a readers' page by its URL name, reversed once a process; and the address of
a static file, looked up once a process.

A page draws dozens (the menu, Most popular, every list and the feed's boxes) and reverse()
costs tens of microseconds each; what it answers for a name and its arguments never changes
while the process runs, but for the script prefix, which is part of the key. A static file's
hashed name is fixed for as long as its storage is (a new one, new settings, is a new key).

The site's entry points (newsroom/wsgi.py, newsroom/asgi.py) set the script prefix of a
reader's request through ScriptPrefix, which notes it where path_of() reads it at no cost:
Django keeps it per thread behind a lock, and reading it there cost more than the rest of a
path. Anywhere else (the test client, commands, a POST), path_of() asks Django.
"""

import contextvars
import functools

from django.core.files.storage import storages
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse, set_script_prefix

_noted_prefix = contextvars.ContextVar("noted_script_prefix", default=None)


class ScriptPrefix:
    """Within the block, Django's script prefix is `prefix`, and path_of() knows it. (A class,
    not a generator: the block is around every reader's request, kept pages included.)"""

    __slots__ = ("prefix", "token")

    def __init__(self, prefix):
        self.prefix = prefix if prefix.endswith("/") else f"{prefix}/"  # as Django keeps it

    def __enter__(self):
        set_script_prefix(self.prefix)
        self.token = _noted_prefix.set(self.prefix)

    def __exit__(self, *exception):
        _noted_prefix.reset(self.token)


def path_of(name, **kwargs):
    """reverse(name, kwargs=kwargs), from memory after the first time."""
    prefix = _noted_prefix.get() or get_script_prefix()
    return _reversed(prefix, name, tuple(kwargs.items()))


@functools.lru_cache(maxsize=100_000)
def _reversed(prefix, name, kwargs):
    return reverse(name, kwargs=dict(kwargs))


def static_path(path):
    """static(path), from memory after the first time."""
    return _static(storages["staticfiles"], path)


@functools.lru_cache(maxsize=1000)
def _static(storage, path):
    return static(path)
