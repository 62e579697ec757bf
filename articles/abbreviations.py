"""Abbreviations in Markdown: a line `*[HUR]: Military Intelligence of Ukraine` puts
<abbr title="Military Intelligence of Ukraine"> around every "HUR" of the same body.

A markdown-it plugin for the syntax Python-Markdown's `abbr` extension reads. Uses are found
by one regular expression of all the body's abbreviations, so finding them costs little more
than reading the text. What one line may make the page repeat is bounded: a body explains at
most MAX_DEFINITIONS abbreviations in at most MAX_TITLE characters each (a definition beyond
either is left as text, and abbreviation_problems says where), and only the first MAX_USES
uses are marked.
"""

import re

from markdown_it.token import Token

MAX_LENGTH = 40
MAX_TITLE = 200
MAX_DEFINITIONS = 50
MAX_USES = 1_000
_DEFINITION = re.compile(rf"\*\[([^\]\n]{{1,{MAX_LENGTH}}})\][ \t]*:[ \t]*(.*)")


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
    abbreviation, title = match.group(1).strip(), match.group(2).strip()
    titles = state.env.setdefault("abbreviations", {})
    problem = None
    if len(title) > MAX_TITLE:
        problem = (
            f"the explanation of the abbreviation “{abbreviation}” is {len(title):,} "
            f"characters long; the limit is {MAX_TITLE}."
        )
    elif abbreviation not in titles and len(titles) >= MAX_DEFINITIONS:
        problem = (
            f"a body may explain at most {MAX_DEFINITIONS} abbreviations; this one is past "
            "the limit."
        )
    if problem:
        state.env.setdefault("abbreviation_problems", {})[start_line] = problem
        return False
    if not silent:
        titles[abbreviation] = title
        state.line = start_line + 1
    return True


def abbreviation_problems(env):
    """(line from 0, message) for each definition left as text, from the env of a parse."""
    return sorted(env.get("abbreviation_problems", {}).items())


def _mark_uses(state):
    titles = state.env.get("abbreviations")
    if not titles:
        return
    # Longest first, so that "HURs" wins over "HUR"; whole words only, as written.
    alternatives = "|".join(map(re.escape, sorted(titles, key=len, reverse=True)))
    uses = re.compile(rf"(?<!\w)(?=\w)(?:{alternatives})(?!\w)")
    left = [MAX_USES]
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = [
                piece
                for child in token.children
                for piece in (
                    _split(child, titles, uses, left) if child.type == "text" else [child]
                )
            ]


def _split(token, titles, uses, left):
    """The text token as text and <abbr> tokens; `left` counts down the uses still marked."""
    text, pieces, done = token.content, [], 0
    for match in uses.finditer(text):
        if left[0] <= 0:
            break
        left[0] -= 1
        start, end = match.span()
        pieces.append(_text(text[done:start]))
        pieces.append(Token("abbr_open", "abbr", 1, attrs={"title": titles[match.group()]}))
        pieces.append(_text(match.group()))
        pieces.append(Token("abbr_close", "abbr", -1))
        done = end
    if not pieces:
        return [token]
    pieces.append(_text(text[done:]))
    return [piece for piece in pieces if piece.type != "text" or piece.content]


def _text(content):
    token = Token("text", "", 0)
    token.content = content
    return token
