"""The path of a readers' page by its URL name, reversed once a process.

A page draws dozens (the menu, Most popular, every list and the feed's boxes) and reverse()
costs tens of microseconds each; what it answers for a name and its arguments never changes
while the process runs, but for the script prefix, which is part of the key.
"""

import functools

from django.urls import get_script_prefix, reverse


def path_of(name, **kwargs):
    """reverse(name, kwargs=kwargs), from memory after the first time."""
    return _reversed(get_script_prefix(), name, tuple(kwargs.items()))


@functools.lru_cache(maxsize=100_000)
def _reversed(prefix, name, kwargs):
    return reverse(name, kwargs=dict(kwargs))
