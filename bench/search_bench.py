"""Search against an icontains scan, and a cached API answer against a cached page.

1. For SQLite and for PostgreSQL, a throwaway database gets N generated published articles
   (100,000 by default; bulk inserts, then the search index rebuilt in bulk). For each of a
   few questions it times what the search page needs, the first 20 results and how many there
   are, asked of the search engine and, in the same run, of an `icontains` scan of the same
   fields (headline, dek, excerpt, body, author names). Median of --repeat runs each.
2. The SQLite database is served by gunicorn (1 worker, production settings) and the rate of
   a cached /api/articles/ answer is measured beside a cached page (/archive/) in interleaved
   rounds. Goal: the API answer costs at most 1.2× the page.

    python bench/search_bench.py                       # 100,000 articles, both databases
    python bench/search_bench.py --count 20000 --databases sqlite

PostgreSQL is reached at BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres),
where a database named newsroom_search_bench is made and dropped again.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = {
    "a rare name (0.2%)": "Zelensky",
    "its other spelling": "Zelenskiy",
    "a common place (5%)": "Kharkiv",
    "two words": "grain corridor",
    "an author's name": "Terajima",
    "nothing matches": "zaporizhzhiastal",
}
WORDS = (
    "the government said on monday that talks would continue while officials in the region "
    "reported shelling overnight damaging homes schools and a hospital according to local "
    "authorities who asked residents to stay in shelters energy workers restored power to "
    "thousands of households parliament voted budget amendments defence spending increased "
    "farmers exported wheat through ports despite attacks on infrastructure and the prices of "
    "fuel rose sharply as analysts warned of further disruption in coming weeks"
).split()
PG_BENCH_DB = "newsroom_search_bench"


def build(count, seed=16):
    """Fill the database in use with `count` published articles and their search entries."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from articles.models import Article, ArticleAuthor, Author, Section
    from search import index

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    sections = [Section.objects.create(name=f"Section {n}") for n in range(8)]
    authors = [Author.objects.create(name=f"Reporter {n}") for n in range(199)]
    authors.append(Author.objects.create(name="Asami Terajima"))
    now = timezone.now()
    started = time.monotonic()
    batch = []
    for n in range(count):
        sentences = [" ".join(rng.choices(WORDS, k=18)).capitalize() + "." for _ in range(8)]
        if n % 500 == 0:
            sentences[3] = "President Zelensky said talks would continue."
        if n % 20 == 0:
            sentences[5] = "Shelling hit Kharkiv overnight."
        if n % 300 == 0:
            sentences[1] = "Ships left through the grain corridor."
        body = "\n\n".join([" ".join(sentences[:4]), " ".join(sentences[4:])])
        batch.append(
            Article(
                headline=" ".join(rng.choices(WORDS, k=8)).capitalize(),
                slug=f"article-{n}",
                dek=" ".join(rng.choices(WORDS, k=14)).capitalize(),
                body=body,
                excerpt=sentences[0],
                section=sections[n % len(sections)],
                status="published",
                published_at=now - timedelta(minutes=n + 1),
                modified_at=now,
            )
        )
        if len(batch) == 5000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    ArticleAuthor.objects.bulk_create(
        (ArticleAuthor(article_id=pk, author=authors[pk % len(authors)]) for pk in ids),
        batch_size=5000,
    )
    generated = time.monotonic() - started
    started = time.monotonic()
    index.rebuild()
    indexed = time.monotonic() - started
    # What autovacuum does after a bulk load; the planner's estimates need it.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"generated_s": generated, "indexed_s": indexed}


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        answer = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), answer


def compare(repeat):
    """{question: (search seconds, scan seconds, search count, scan count)}."""
    from django.db.models import Q

    from articles.models import Article
    from search.engine import search

    def with_engine(text):
        # As the search page asks: its first page, then how many there are.
        results = search(text)
        return results[0:20], results.count()

    def with_scan(text):
        found = Q()
        for word in text.split():
            found &= (
                Q(headline__icontains=word)
                | Q(dek__icontains=word)
                | Q(excerpt__icontains=word)
                | Q(body__icontains=word)
                | Q(authors__name__icontains=word)
            )
        matches = Article.objects.published().filter(found).distinct()
        return list(matches.order_by("-published_at", "-id")[:20]), matches.count()

    answers = {}
    for name, text in QUESTIONS.items():
        searched, (_, search_count) = timed(lambda text=text: with_engine(text), repeat)
        scanned, (_, scan_count) = timed(lambda text=text: with_scan(text), max(1, repeat // 2))
        answers[name] = (searched, scanned, search_count, scan_count)
    return answers


def child(args):
    import django

    django.setup()
    figures = build(args.count)
    figures["questions"] = compare(args.repeat)
    print("RESULT " + json.dumps(figures))


def run_child(database_url, args):
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": "", "LOG_LEVEL": "WARNING"}
    env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            "--count",
            str(args.count),
            "--repeat",
            str(args.repeat),
        ],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))


def postgres(admin_url, statement):
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(statement)


def report(vendor, figures, count):
    print(
        f"\n{vendor}: {count:,} articles generated in {figures['generated_s']:.0f} s, "
        f"indexed in {figures['indexed_s']:.0f} s"
    )
    print(f"  {'question':<22} {'search':>9} {'icontains':>10} {'faster':>7}  results")
    ratios = []
    for name, (searched, scanned, search_count, scan_count) in figures["questions"].items():
        ratio = scanned / searched
        ratios.append(ratio)
        counts = f"{search_count:,}" + (
            f" (scan {scan_count:,})" if scan_count != search_count else ""
        )
        print(
            f"  {name:<22} {searched * 1000:7.1f}ms {scanned * 1000:8.1f}ms {ratio:6.0f}×  {counts}"
        )
    print(f"  smallest gain: {min(ratios):.0f}× (goal ≥ 20×)")


def cached_answers(database_url, seconds, rounds):
    """req/s of a cached /api/articles/ and a cached /archive/, interleaved rounds."""
    sys.path.insert(0, str(ROOT / "bench"))
    from feed_bench import fetch, rate

    from tests.newsroom.servers import free_port

    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "benchmark-only",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": folder,
            "REDIS_URL": "",
            "API_THROTTLE_RATE": "1000000/minute",
            "LOG_LEVEL": "WARNING",
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            env=env,
            cwd=ROOT,
            check=True,
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "newsroom.wsgi:application", "--bind",
             f"127.0.0.1:{port}", "--workers", "1", "--log-level", "warning"],
            env=env,
            cwd=ROOT,
        )  # fmt: skip
        try:
            for _ in range(100):
                try:
                    fetch(port, "/healthz")
                    break
                except OSError:
                    time.sleep(0.2)
            cases = {
                "cached page /archive/": "/archive/",
                "cached API /api/articles/": "/api/articles/",
            }
            for path in cases.values():
                status, _, _ = fetch(port, path)
                assert status == 200, (path, status)
            rates = {name: [] for name in cases}
            for _ in range(rounds):
                for name, path in cases.items():
                    rates[name].append(rate(port, path, {}, 200, seconds / rounds, 2, 100_000))
        finally:
            server.terminate()
            server.wait(10)
    return {name: statistics.median(values) for name, values in rates.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5, help="timings per question")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--seconds", type=float, default=16, help="per cached answer")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    with tempfile.TemporaryDirectory(prefix="search-bench-") as folder:
        sqlite_url = f"sqlite:///{folder}/search.sqlite3"
        if "sqlite" in args.databases:
            report("SQLite (FTS5)", run_child(sqlite_url, args), args.count)
        if "postgresql" in args.databases:
            import psycopg

            admin = os.environ.get(
                "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
            )
            try:
                postgres(admin, f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
            except psycopg.OperationalError as error:
                raise SystemExit(
                    f"PostgreSQL at {admin} does not answer ({error}); try --databases sqlite"
                ) from error
            postgres(admin, f"CREATE DATABASE {PG_BENCH_DB}")
            try:
                url = admin.rsplit("/", 1)[0] + f"/{PG_BENCH_DB}"
                report("PostgreSQL (tsvector, GIN)", run_child(url, args), args.count)
            finally:
                postgres(admin, f"DROP DATABASE IF EXISTS {PG_BENCH_DB}")
        if "sqlite" in args.databases:
            rates = cached_answers(sqlite_url, args.seconds, rounds=10)
            page, api = rates["cached page /archive/"], rates["cached API /api/articles/"]
            print("\nCached answers (gunicorn, 1 worker, 2 clients, SQLite):")
            for name, per_second in rates.items():
                print(f"  {name:<28} {per_second:8.0f} req/s")
            print(f"  an API answer costs {page / api:.2f}× a page (goal ≤ 1.2×)")


if __name__ == "__main__":
    main()
