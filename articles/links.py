"""Which addresses an article may link to: the one rule for card links and body links."""

import re
from urllib.parse import unquote, urlsplit

# Browsers drop tabs and newlines inside a URL, skip spaces and control characters before
# it, and read a backslash as a slash, so `java\tscript:` runs script and `/\host` leaves
# the site. None of them belongs in a link an editor types, encoded or not; a space does,
# but only encoded.
_TRICKS = re.compile(r"[\x00-\x20\x7f\\]")
_ENCODED_TRICKS = re.compile(r"[\x00-\x1f\x7f\\]")


def is_safe_link(link):
    """True for http(s) and mailto addresses, and paths and #anchors on this site."""
    if not link or _TRICKS.search(link) or _ENCODED_TRICKS.search(unquote(link)):
        return False
    if link.startswith("/"):
        return not link.startswith("//")
    if link.startswith("#"):
        return True
    parts = urlsplit(link)
    if parts.scheme in {"http", "https"}:
        return link[len(parts.scheme) :].startswith("://") and bool(parts.hostname)
    if parts.scheme == "mailto":
        return "@" in parts.path
    return False


def quoted(link, limit=60):
    """The link in quotes as its writer would recognise it, control characters made visible."""
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in link[:limit])
    return f"“{shown}{'…' if len(link) > limit else ''}”"
