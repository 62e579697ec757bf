"""The path of a readers' page by its URL name, reversed once a process; and the address of
a static file, looked up once a process.

A page draws dozens (the menu, Most popular, every list and the feed's boxes) and reverse()
costs tens of microseconds each; what it answers for a name and its arguments never changes
while the process runs, but for the script prefix, which is part of the key. A static file's
hashed name is fixed for as long as its storage is (a new one, new settings, is a new key).
"""

import functools

from django.core.files.storage import storages
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse


def path_of(name, **kwargs):
    """reverse(name, kwargs=kwargs), from memory after the first time."""
    return _reversed(get_script_prefix(), name, tuple(kwargs.items()))


@functools.lru_cache(maxsize=100_000)
def _reversed(prefix, name, kwargs):
    return reverse(name, kwargs=dict(kwargs))


def static_path(path):
    """static(path), from memory after the first time."""
    return _static(storages["staticfiles"], path)


@functools.lru_cache(maxsize=1000)
def _static(storage, path):
    return static(path)
