"""What a reader typed, read as a search: pure, no database, safe on any input.

The syntax is the one search engines taught readers (PostgreSQL's websearch): words must all
appear, "quoted words" appear together in that order, `or` between two words accepts either,
and a leading `-` excludes a word. Everything else (punctuation, operators of other engines,
control characters, unbalanced quotes) is read as spaces, and only the first MAX_LENGTH
characters and MAX_CLAUSES clauses count, so no text can make a search fail or run long.
"""

import re
import unicodedata
from dataclasses import dataclass, replace

MAX_LENGTH = 200
MAX_CLAUSES = 12
MAX_ALTERNATIVES = 8

Phrase = tuple[str, ...]

TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Clause:
    """One thing the results must (or, negated, must not) contain: any of its phrases."""

    phrases: tuple[Phrase, ...]
    negated: bool = False
    prefix: bool = False  # its one-word phrases also match longer words they begin


@dataclass(frozen=True)
class Query:
    clauses: tuple[Clause, ...] = ()

    @property
    def wanted(self):
        return tuple(clause for clause in self.clauses if not clause.negated)

    @property
    def unwanted(self):
        return tuple(clause for clause in self.clauses if clause.negated)

    def __bool__(self):
        """Whether there is anything to look for: a query of exclusions alone finds nothing."""
        return bool(self.wanted)

    def words(self):
        """The words looked for, in order, once each."""
        found = [word for clause in self.wanted for phrase in clause.phrases for word in phrase]
        return list(dict.fromkeys(found))


def fold(text):
    """Text as search compares it: case and accents do not matter."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words_of(text):
    return tuple(WORD.findall(fold(text)))


def parse(text, prefix=False):
    """The Query that `text` asks for; with `prefix`, a last word still being typed also
    matches the longer words it begins (for the admin's look-ups as you type)."""
    text = "".join(char if char.isprintable() else " " for char in str(text)[:MAX_LENGTH])
    clauses, join_next = [], False
    for match in TOKEN.finditer(text):
        minus, quoted, bare = match.groups()
        negated = bool(minus)
        if bare is not None:
            if bare.casefold() == "or" and clauses and not clauses[-1].negated:
                join_next = True
                continue
            negated = bare.startswith("-")
        phrase = words_of(quoted if quoted is not None else bare)
        if not phrase:
            continue
        if join_next and not negated:
            last = clauses[-1]
            clauses[-1] = replace(last, phrases=(*last.phrases, phrase)[:MAX_ALTERNATIVES])
        else:
            clauses.append(Clause((phrase,), negated))
        join_next = False
    clauses = clauses[:MAX_CLAUSES]
    if prefix and clauses and not clauses[-1].negated and text[-1:].isalnum():
        clauses[-1] = replace(clauses[-1], prefix=True)
    return Query(tuple(clauses))


def expand(query, spellings):
    """`query` with every phrase's other spellings added as alternatives.

    `spellings` maps a folded phrase to the phrases it also stands for.
    """
    clauses = []
    for clause in query.clauses:
        phrases = list(clause.phrases)
        for phrase in clause.phrases:
            phrases.extend(spellings.get(phrase, ()))
        clauses.append(replace(clause, phrases=tuple(dict.fromkeys(phrases))))
    return Query(tuple(clauses))


def spellings_from(pairs):
    """{phrase: other phrases} from (spelling, preferred) pairs: each finds all of its group."""
    groups = {}
    for spelling, preferred in pairs:
        key = words_of(preferred)
        if key:
            groups.setdefault(key, {key}).add(words_of(spelling))
    spellings = {}
    for group in groups.values():
        group.discard(())
        for phrase in group:
            spellings[phrase] = tuple(sorted(group - {phrase}))
    return spellings
