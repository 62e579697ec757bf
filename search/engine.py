"""The one search interface: `search(text)` finds entries readers may see, best first.

Best first means: those with every word looked for in the headline, then the others; newer
before older within each. The database's own full-text search does the work (backends.py).
"""

from dataclasses import dataclass

from django.db.models import Value
from django.utils.html import escape
from django.utils.safestring import mark_safe

from search import query as queries
from search.backends import MARK_END, MARK_START, backend
from search.models import Entry, Synonym


def read(text, prefix=False):
    """The Query that `text` asks for, with the other spellings of its names."""
    parsed = queries.parse(text, prefix=prefix)
    if not parsed:
        return parsed
    pairs = Synonym.objects.values_list("spelling", "preferred")
    return queries.expand(parsed, queries.spellings_from(pairs))


def as_html(marked):
    """Text marked by the backend, escaped, with the words found in <mark>."""
    html = escape(marked).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)


@dataclass
class Results:
    """What a search found: `entries` is the QuerySet, best first; the results themselves
    slice and count as a page of the search needs, the quickest way the database has."""

    text: str
    query: queries.Query
    entries: object  # a QuerySet of Entry, ordered best first
    among: object  # the entries searched
    everything: bool  # whether `among` is every entry readers may see
    matched: object = None  # what a backend counted of the matches, once it has

    def count(self):
        return backend().count(self) if self.query else 0

    def __getitem__(self, window):
        if not isinstance(window, slice) or window.step is not None:
            raise TypeError("Results are read a page at a time: results[start:stop].")
        return backend().window(self, window.start or 0, window.stop) if self.query else []

    def mark(self, entries):
        """`entries` (a page of results) with `marked_headline` and `passage` as HTML."""
        entries = list(entries)
        marked = backend().marked([entry.pk for entry in entries], self.query) if entries else {}
        for entry in entries:
            headline, passage = marked.get(entry.pk, (entry.headline, ""))
            entry.marked_headline = as_html(headline or entry.headline)
            entry.passage = as_html(passage or "")
        return entries


def search(text, entries=None, prefix=False, everything=None):
    """What `text` finds among `entries` (by default every entry readers may see).

    `prefix` lets the last word match longer words it begins, for look-ups as you type.
    `everything` says that `entries` are all that readers may see, no filter narrowing them.
    """
    query = read(text, prefix=prefix)
    everything = entries is None if everything is None else everything
    # Sorting every match carries its columns along: leave the long ones behind.
    among = Entry.objects.published() if entries is None else entries
    among = among.defer("text", "vector", "headline_vector")
    if not query:
        found = among.annotate(in_headline=Value(False)).none()
        return Results(text, query, found, among, everything)
    found = backend().match(among, query).order_by("-in_headline", "-published_at", "-id")
    return Results(text, query, found, among, everything)


def suggestions(results):
    """What to try when nothing was found, in readers' words."""
    tips = []
    if results is None or not results.query:
        return ["Type a word or a name to look for."]
    if len(results.query.wanted) > 1:
        tips.append("Use fewer words: every word must appear in what is found.")
    if results.query.unwanted:
        tips.append("Leave out the words with a minus sign.")
    tips.append("Check the spelling, or try another spelling of a name.")
    tips.append("Remove the filters for section, author, kind or date.")
    return tips


def admin_search(queryset, text, kind):
    """The admin's search of articles or feed items (`kind`): drafts too, words as typed."""
    entries = Entry.objects.filter(kind=kind)
    column = "article_id" if kind == Entry.Kind.ARTICLE else "feed_item_id"
    found = search(text, entries, prefix=True).entries.order_by().values(column)
    return queryset.filter(pk__in=found)
