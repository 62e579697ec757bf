"""How fast import_text brings in an archive, and whether its memory stays flat.

Generates N captured pages (default 10,000) into a temporary folder, then in one run:
reads every file (the floor), parses every file without a database, imports the folder into
a fresh SQLite database, and imports it again (every page unchanged). Prints pages a second
for each, the import's ratio to the baselines, and the process's resident memory every
--every pages. Usage: python bench/import_bench.py [--pages N] [--every K]
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 400  # pages a second on SQLite, the speed-at-scale goal

WORDS = (
    "the of and to in a Ukraine Russia said on for war Kyiv with that by was as his forces "
    "front line drone attack energy grain port minister president talks aid winter power "
    "missile region oblast officials reported according city border farmers trade shells"
).split()
FIRST_NAMES = ("Anna", "Oleh", "Iryna", "Taras", "Olena", "Maksym")
LAST_NAMES = ("Koval", "Bondar", "Melnyk", "Tkachenko", "Shevchenko", "Kravets")
PEOPLE = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
DESKS = ["The Kyiv Independent news desk", "Europe desk"]
SECTIONS = ["Ukraine news", "Business", "Europe", "Opinion"]


def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def sentence(rng, low, high):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def clock(moment):
    return f"{moment.hour % 12 or 12}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def page(number, rng, feed):
    """One captured page, about the size of the sample; feed items repeat between pages."""
    published = datetime(2020, 1, 1, 6) + timedelta(minutes=37 * number)
    headline = f"{sentence(rng, 4, 9)[:-1]} ({number})"
    authors = rng.sample(PEOPLE, rng.randint(1, 2)) + rng.sample(DESKS, rng.randint(0, 1))
    names = authors[0] if len(authors) == 1 else f"{', '.join(authors[:-1])} and {authors[-1]}"
    when = f"{published:%B} {published.day}, {published.year} {clock(published)}"
    lines = [f" date {published:%Y-%m-%d} Skip to content", headline, ""]
    lines += [f"by {names} {when} 2 min read", "This audio is created with AI assistance", ""]
    for index in range(rng.randint(5, 9)):
        lines += [sentence(rng, 20, 45), ""]
        if index == 3:
            lines += [
                sentence(rng, 5, 9),
                sentence(rng, 20, 30),
                f"The Kyiv Independent{rng.choice(PEOPLE)}",
                "",
            ]
    lines[-1:] = [f"Authors: {', '.join(authors)}", "Most popular", "", "News Feed", ""]
    feed.insert(0, (published, headline + ".", sentence(rng, 15, 30), rng.choice(SECTIONS)))
    del feed[5:]
    section = ""
    for moment, title, summary, name in feed:
        if name and name != section:
            lines += [name, ""]
            section = name
        lines += [clock(moment), "", title, "", summary]
    return "\n".join(lines) + "\n"


def generate(folder, count):
    rng, feed = random.Random(5), []
    for number in range(count):
        (folder / f"page-{number:06d}.txt").write_text(page(number, rng, feed), encoding="utf-8")


def timed(label, count, run):
    started, cpu = time.perf_counter(), time.process_time()
    run()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    rate = count / seconds
    print(f"{label:<36} {seconds:7.2f} s  {rate:9.0f} pages/s  ({cpu:.2f} s of CPU)")
    return rate, count / cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--every", type=int, default=1_000, help="report memory this often")
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="import-bench-"))
    folder = workdir / "pages"
    folder.mkdir()
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    # As in production: debug mode keeps every query's SQL, which is not what is measured.
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "import-bench-only")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from articles.models import Article
    from feed.models import FeedItem
    from newsroom.capture import apply, sources

    call_command("migrate", verbosity=0)
    print(f"Generating {options.pages} pages ...", flush=True)
    generate(folder, options.pages)

    def read_all():
        for _, read in sources.iter_sources([str(folder)]):
            read()

    def parse_all():
        importer = apply.Importer()
        for _, read in sources.iter_sources([str(folder)]):
            importer.parse(read())

    memory = []

    def import_all():
        importer = apply.Importer()
        pages = importer.import_all(sources.iter_sources([str(folder)]))
        for done, _ in enumerate(pages, start=1):
            if done % options.every == 0:
                memory.append((done, rss_mb()))

    def reimport_all():
        call_command("import_text", str(folder), verbosity=0)

    read_rate, _ = timed("read files (baseline)", options.pages, read_all)
    parse_rate, _ = timed("parse only, no database (baseline)", options.pages, parse_all)
    import_rate, import_cpu_rate = timed("import into fresh SQLite", options.pages, import_all)
    reimport_rate, _ = timed("import again, all unchanged", options.pages, reimport_all)
    print(
        f"\n{Article.objects.count()} articles, {FeedItem.objects.count()} feed items "
        f"(feed items repeat between pages and are imported once)."
    )
    print(
        f"import / parse-only: {import_rate / parse_rate:.2f}; import / read: "
        f"{import_rate / read_rate:.3f}; re-import / import: {reimport_rate / import_rate:.2f}"
    )
    print(
        "resident memory during the import (pages: MB): "
        + ", ".join(f"{done}: {mb:.0f}" for done, mb in memory)
    )
    if len(memory) >= 2:
        print(f"memory growth from first to last report: {memory[-1][1] - memory[0][1]:+.1f} MB")
    print(
        f"import per second of CPU: {import_cpu_rate:.0f} pages (what the run would reach with "
        "a core to itself; wall-clock rates fall when other processes share the cores)"
    )
    verdict = "meets" if import_rate >= TARGET else "MISSES"
    print(
        f"{import_rate:.0f} pages/s {verdict} the target of {TARGET} pages/s "
        f"(on {os.cpu_count()} cores)."
    )
    for path in sorted(workdir.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    workdir.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
