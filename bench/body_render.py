"""How long a body takes to check and show, for everyday bodies and the worst the limits allow.

A save checks the body and keeps what reading it gave (articles/rendering.py, rendered()), so
the page shown after it costs nothing more; a page view in another worker reads it again.
For each body this prints, in CPU time of this process (the best of a few rounds, so that other
work on the machine does not blur it):

- "save": validate_body, then render_body, as a save and the page after it do;
- "cold page": render_body alone, with nothing kept.

The bodies: the sample article's paragraphs with everyday Markdown and a card, repeated to
50,000, 100,000 and 200,000 characters (the length limit); and the costliest constructs found,
each at the limit of line breaks and Markdown signs (MARKDOWN_SIGNS_MAX) and at half and a
quarter of it, to show that the time grows with the signs and stays about half a second at
the limit. Unclosed "[" or "![" make markdown-it walk to the end of the paragraph from each of
them (about twenty walks, its nesting limit), so a few of them before many other signs cost
the most. A body past a limit is refused on save; the last rows show that refusing it is quick.

    python bench/body_render.py
"""

import gc
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django  # noqa: E402

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402

from articles import rendering  # noqa: E402

ROUNDS = 3
SAMPLE = ROOT / "samples" / "kyiv-independent-2024-01-21.txt"
LIMIT = rendering.MARKDOWN_SIGNS_MAX


def realistic_body(size):
    """The sample's paragraphs with everyday Markdown and a card, cut to `size` characters."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    paragraphs = [line for line in lines if len(line) > 200]
    unit = "\n\n".join(
        [
            f"**{paragraphs[0]}**",
            f"{paragraphs[1]} See [the report](https://example.com/report) and "
            "[our earlier story](/news/earlier/).",
            f"> {paragraphs[2]}",
            "- Shells\n- Missiles\n- *Drones*",
            ":::card\ntitle: Military intelligence: North Korea supplying shells\n"
            "publisher: The Kyiv Independent\nlink: https://example.com/news/shells/\n:::",
            *paragraphs[3:],
        ]
    )
    body = "\n\n".join([unit] * (size // len(unit) + 1))
    return body[:size]


def with_signs(text, signs):
    """`text` repeated and cut so that it holds exactly `signs` line breaks and signs."""
    per_copy = len(rendering.MARKDOWN_SIGN.findall(text))
    body = text * (signs // per_copy + 2)
    cut = list(rendering.MARKDOWN_SIGN.finditer(body))[signs].start()
    return body[:cut]


WORST = {
    # (name, the body at a number of signs)
    "![ x 19, then *a": lambda n: "![" * 19 + with_signs("*a", n - 38),
    "![ x 19, then lines": lambda n: "![" * 19 + with_signs("a\n", n - 38),
    "![ x 19, then {a": lambda n: "![" * 19 + with_signs("{a", n - 38),
    "all ![": lambda n: with_signs("![", n),
    "all [^": lambda n: with_signs("[^", n),
    "all [": lambda n: with_signs("[", n),
    "*a (emphasis)": lambda n: with_signs("*a", n),
    "one-letter lines": lambda n: with_signs("a\n", n),
    "table cells": lambda n: "|a|b|\n|-|-|\n" + with_signs("|\n", n - 10),
    "[a](b) links": lambda n: with_signs("[a](/b) ", n),
}


def cpu_time(job, body):
    times = []
    for _ in range(ROUNDS):
        rendering.rendered.cache_clear()
        gc.collect()
        start = time.process_time()
        job(body)
        times.append(time.process_time() - start)
    return min(times)


def save(body):
    try:
        rendering.validate_body(body)
    except ValidationError:
        return
    rendering.render_body(body)


def row(name, body, refused=False):
    """Print the times of `body`; one that is refused is never shown, so it has no page."""
    signs = len(rendering.MARKDOWN_SIGN.findall(body))
    times = f"{cpu_time(save, body) * 1000:12.0f} ms"
    times += f"{'—':>15}" if refused else f"{cpu_time(rendering.render_body, body) * 1000:12.0f} ms"
    print(f"{name:<28}{len(body):>11,}{signs:>9,}{times}", flush=True)


def main():
    print(
        f"CPU time, best of {ROUNDS} rounds. Limits: {rendering.BODY_MAX_LENGTH:,} characters, "
        f"{LIMIT:,} line breaks and Markdown signs."
    )
    print(f"{'body':<28}{'characters':>11}{'signs':>9}{'save':>15}{'cold page':>15}")
    for size in (50_000, 100_000, rendering.BODY_MAX_LENGTH):
        row("realistic", realistic_body(size))
    for name, make in WORST.items():
        for signs in (LIMIT // 4, LIMIT // 2, LIMIT):
            row(f"{name} ({signs / LIMIT:.0%})", make(signs))
    row("all ![ (200%): refused", with_signs("![", 2 * LIMIT), refused=True)
    row("all ![, too long: refused", "![" * (rendering.BODY_MAX_LENGTH // 2 + 1), refused=True)


if __name__ == "__main__":
    main()
