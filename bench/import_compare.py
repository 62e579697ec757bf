"""The import's speed before and after a change, in one run: is it slower than it was?

Checks out REVISION (any git revision, such as the commit before a refactor) into a temporary
worktree, then runs `bench/import_bench.py` of that revision and of this working tree (or of
AFTER, another revision) in turn,
ROUNDS times each, alternating, so that both meet the same machine load. Each run generates the
same pages and imports them into a fresh SQLite database. Prints the import's pages per
second of CPU (steady when other processes share the cores) and per wall-clock second for
each run, their medians, and the ratio after / before (at least 1.0: not slower). A package
the old revision needs and this one no longer installs is named with --with; it is installed
into a temporary folder on the compared runs' path.

    python bench/import_compare.py REVISION [AFTER] [--rounds 3] [--pages 3000] [--with PACKAGE ...]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CPU_RATE = re.compile(r"import per second of CPU: (\d+) pages")
WALL_RATE = re.compile(r"import into fresh SQLite\s+[\d.]+ s\s+(\d+) pages/s")


def run_bench(tree, pages, extra_path=None):
    """(pages per CPU-second, pages per second) of one import_bench.py run in `tree`."""
    env = {**os.environ, "PYTHONPATH": str(extra_path)} if extra_path else None
    result = subprocess.run(
        [sys.executable, "bench/import_bench.py", "--pages", str(pages), "--every", str(pages)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    cpu, wall = CPU_RATE.search(result.stdout), WALL_RATE.search(result.stdout)
    if result.returncode or not (cpu and wall):
        raise SystemExit(f"import_bench.py failed in {tree}:\n{result.stdout}{result.stderr}")
    return int(cpu.group(1)), int(wall.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", help="the git revision to compare with, e.g. abc123^")
    parser.add_argument("after", nargs="?", help="a later revision (default: this tree)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", type=int, default=3000)
    parser.add_argument("--with", dest="packages", nargs="*", default=[], metavar="PACKAGE")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="import-before-") as folder:
        before, packages = Path(folder) / "tree", Path(folder) / "packages"
        after = Path(folder) / "after" if options.after else ROOT
        checkouts = [(before, options.revision)]
        if options.after:
            checkouts.append((after, options.after))
        if options.packages:
            subprocess.run(
                [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(packages)]
                + options.packages,
                check=True,
            )
        for tree, revision in checkouts:
            subprocess.run(
                ["git", "worktree", "add", "--detach", "--quiet", str(tree), revision],
                cwd=ROOT,
                check=True,
            )
        try:
            figures = {"before": [], "after": []}
            for round_number in range(1, options.rounds + 1):
                for name, tree in (("before", before), ("after", after)):
                    extra = packages if options.packages else None
                    cpu, wall = run_bench(tree, options.pages, extra)
                    figures[name].append((cpu, wall))
                    print(
                        f"round {round_number}, {name:<6} {cpu:6d} pages per CPU-second, "
                        f"{wall:6d} pages/s",
                        flush=True,
                    )
        finally:
            for tree, _ in checkouts:
                subprocess.run(
                    ["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=True
                )

    medians = {
        name: [statistics.median(values) for values in zip(*runs, strict=True)]
        for name, runs in figures.items()
    }
    print(
        f"\n{options.pages} pages, {options.rounds} rounds, before = {options.revision}, "
        f"after = {options.after or 'this tree'}:"
    )
    for index, unit in enumerate(("pages per CPU-second", "pages/s")):
        old, new = medians["before"][index], medians["after"][index]
        print(f"  {unit:<21} before {old:7.0f}  after {new:7.0f}  after / before {new / old:.2f}")


if __name__ == "__main__":
    main()
