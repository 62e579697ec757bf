"""How long a body takes to render and to check on save, as it grows.

For bodies of 5,000 to 40,000 characters, of two kinds: all "[" (which Python-Markdown took
time to the square of, a minute at 20,000) and a realistic one (the sample article's
paragraphs with emphasis, links, a quote, a list and a card, repeated). Prints the best of
a few rounds for each, in CPU time of this process (so other work on the machine does not
blur it), and its ratio to the smallest size: a cost that grows with the length of the body
doubles when the body doubles (2x, 4x, 8x).

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

from articles import rendering  # noqa: E402

SIZES = (5_000, 10_000, 20_000, 40_000)
ROUNDS = 5
SAMPLE = ROOT / "samples" / "kyiv-independent-2024-01-21.txt"


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


def best_time(function, body):
    times = []
    for _ in range(ROUNDS):
        gc.collect()
        start = time.process_time()
        function(body)
        times.append(time.process_time() - start)
    return min(times)


def main():
    kinds = {"all '['": lambda size: "[" * size, "realistic": realistic_body}
    jobs = {"render": rendering.render_body, "check on save": rendering.validate_body}
    print(f"CPU time, best of {ROUNDS} rounds; ratio to the {SIZES[0]:,}-character body")
    print(f"{'body':<12}{'job':<15}" + "".join(f"{size:>18,}" for size in SIZES))
    for kind, make in kinds.items():
        bodies = [make(size) for size in SIZES]
        for job, function in jobs.items():
            times = [best_time(function, body) for body in bodies]
            cells = "".join(f"{t * 1000:9.1f} ms {t / times[0]:4.1f}x" for t in times)
            print(f"{kind:<12}{job:<15}{cells}")


if __name__ == "__main__":
    main()
