"""Abbreviations in Markdown: a line `*[HUR]: Military Intelligence of Ukraine` puts
<abbr title="Military Intelligence of Ukraine"> around every "HUR" of the same body.

A markdown-it plugin for the syntax Python-Markdown's `abbr` extension reads. Matching
looks up, at each word start, only the lengths the abbreviations have (at most
MAX_LENGTH), so its cost grows with the text, not with text times abbreviations.
"""

import re

from markdown_it.token import Token

MAX_LENGTH = 40
_DEFINITION = re.compile(rf"\*\[([^\]\n]{{1,{MAX_LENGTH}}})\][ \t]*:[ \t]*(.*)")
_WORD_START = re.compile(r"\b\w")
_WORD_CHARACTER = re.compile(r"\w")


def abbreviations_plugin(md):
    md.block.ruler.before(
        "reference", "abbreviation", _definition, {"alt": ["paragraph", "reference"]}
    )
    md.core.ruler.push("abbreviations", _mark_uses)


def _definition(state, start_line, end_line, silent):
    start = state.bMarks[start_line] + state.tShift[start_line]
    if state.sCount[start_line] - state.blkIndent >= 4 or not state.src.startswith("*[", start):
        return False
    match = _DEFINITION.fullmatch(state.src, start, state.eMarks[start_line])
    if match is None or not match.group(1).strip():
        return False
    if not silent:
        titles = state.env.setdefault("abbreviations", {})
        titles[match.group(1).strip()] = match.group(2).strip()
        state.line = start_line + 1
    return True


def _mark_uses(state):
    titles = state.env.get("abbreviations")
    if not titles:
        return
    lengths = sorted({len(abbreviation) for abbreviation in titles}, reverse=True)
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = [
                piece
                for child in token.children
                for piece in (_split(child, titles, lengths) if child.type == "text" else [child])
            ]


def _split(token, titles, lengths):
    """The text token as text and <abbr> tokens."""
    text, pieces, done = token.content, [], 0
    for start, end in _uses(text, titles, lengths):
        pieces.append(_text(text[done:start]))
        pieces.append(Token("abbr_open", "abbr", 1, attrs={"title": titles[text[start:end]]}))
        pieces.append(_text(text[start:end]))
        pieces.append(Token("abbr_close", "abbr", -1))
        done = end
    if not pieces:
        return [token]
    pieces.append(_text(text[done:]))
    return [piece for piece in pieces if piece.type != "text" or piece.content]


def _uses(text, titles, lengths):
    """(start, end) of each abbreviation in text that stands as a whole word."""
    after_last = 0
    for word in _WORD_START.finditer(text):
        start = word.start()
        if start < after_last:
            continue
        for length in lengths:
            end = start + length
            if end > len(text) or _WORD_CHARACTER.match(text, end):
                continue
            if text[start:end] in titles:
                yield start, end
                after_last = end
                break


def _text(content):
    token = Token("text", "", 0)
    token.content = content
    return token
