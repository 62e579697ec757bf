"""Where pages come from: files, every *.txt below a folder, standard input."""

import os
import sys

from newsroom.capture.parse import PageError


def iter_sources(paths, stdin=None):
    """(name, reader) for every page named: files, *.txt below folders, '-' for standard input.

    Folders are walked lazily, in name order, so that a large archive is never held as one
    list of its pages.
    """
    for path in paths:
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin
            yield "<stdin>", lambda stream=stream: getattr(stream, "buffer", stream).read()
        elif os.path.isdir(path):
            yield from _walk(path)
        else:
            yield path, lambda path=path: _read(path)


def _walk(folder):
    """Pages below a folder in name order, one folder's listing in memory at a time."""
    with os.scandir(folder) as entries:
        names = sorted((entry.name, entry.is_dir()) for entry in entries)
    for name, is_dir in names:
        path = os.path.join(folder, name)
        if is_dir:
            yield from _walk(path)
        elif name.endswith(".txt"):
            yield path, lambda path=path: _read(path)


def _read(path):
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as error:
        raise PageError(0, f"cannot be read: {error.strerror or error}") from None


def count_pages(paths):
    """How many pages iter_sources() will yield, without keeping their names."""
    return sum(1 for _ in iter_sources([p for p in paths if p != "-"])) + paths.count("-")
