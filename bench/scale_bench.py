"""Whether every public page costs the same with 100,000 articles as with 1,000.

For each database (SQLite, and PostgreSQL when DATABASE_URL names one) and each size it makes
a throwaway database with the demo content and the imported sample, then generates articles
(one byline and one tag each, and the news desk's byline and a running story's tag on every
other one), 10,000 authors at every size and feed items (10 per article) with INSERT … SELECT
over a generated series, so that a million rows take seconds. The desk and the running story
fill their pages at every size, and so do the authors the authors' sitemap page lists: a page
that lists more at one size than at the other would measure how full it is, not the tables.
Each page is then rendered in process with nothing cached (Django's dummy cache backend, so
that no page and no fragment is kept and every render reads the database), production
settings, and timed (median of --repeat, taken in --rounds rounds, a fresh process each, with
the sizes in turn: a machine whose speed drifts during the run weighs on both sizes alike). It
prints each page's time at both sizes and their ratio beside the goal (at most 1.2), and for a
sitemap page that holds more addresses with the larger set the cost per address too; then, for
the largest size, the EXPLAIN of every query each page ran.

    python bench/scale_bench.py                      # 1,000 and 100,000 articles
    python bench/scale_bench.py --sizes 1000 20000 --feed-per-article 2
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _site  # noqa: E402

ROOT = _site.ROOT
GOAL = 1.2
TAGS = 100
AUTHORS = 10_000  # as many at every size: those with an article fill a sitemap page at each


def generate(articles, feed_per_article):
    """Add `articles` published articles, their authors, bylines and tags, and feed items."""
    from django.db import connection, transaction
    from django.utils import timezone

    from articles import rendering
    from articles.models import Section, Tag
    from newsroom import freshness

    now = timezone.now().replace(microsecond=0)
    postgres = connection.vendor == "postgresql"
    sections = list(Section.objects.values_list("pk", flat=True))
    for number in range(TAGS):
        Tag.objects.get_or_create(name=f"Generated tag {number}")
    first_tag = Tag.objects.order_by("pk").values_list("pk", flat=True).first()
    running_story, _ = Tag.objects.get_or_create(name="Generated running story")
    authors = AUTHORS
    body = "A paragraph of a generated article about the war and the economy.\n\nAnother one."
    summary = "Romanian protesters have ended their **blockade** at the crossing."
    rendered = rendering.markdown_to_html(summary)

    def series(count):
        return (
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
            if not postgres
            else "WITH n(i) AS (SELECT generate_series(1, %s)) "
        ), [count]

    def minutes_ago(expression):
        if postgres:
            return f"(%s::timestamptz - ({expression}) * interval '1 minute')"
        return f"strftime('%%Y-%%m-%%d %%H:%%M:%%f', %s, '-' || ({expression}) || ' minutes')"

    stamp = now if postgres else now.strftime("%Y-%m-%d %H:%M:%S")
    true = "true" if postgres else "1"
    false = "false" if postgres else "0"
    section_case = "CASE " + " ".join(
        f"WHEN n.i %% {len(sections)} = {index} THEN {pk}" for index, pk in enumerate(sections)
    )
    section_case += " END"
    with transaction.atomic(), connection.cursor() as cursor:
        head, params = series(authors)
        cursor.execute(
            head + "INSERT INTO articles_author (name, slug, kind, role, bio, photo, links, "
            "is_active) SELECT 'Generated author ' || n.i, 'generated-author-' || n.i, "
            f"'person', '', '', '', '', {true} FROM n",
            params,
        )
        cursor.execute("SELECT MIN(id) FROM articles_author WHERE slug LIKE 'generated-%%'")
        (first_author,) = cursor.fetchone()
        head, params = series(articles)
        published = minutes_ago("n.i + 60")
        cursor.execute(
            head + "INSERT INTO articles_article (headline, slug, dek, body, excerpt, section_id, "
            "hero_image, hero_caption, hero_credit, hero_alt, audio, audio_ai_generated, "
            "seo_title, seo_description, social_image, status, published_at, created_at, "
            "updated_at, modified_at, reading_time, version, import_digest, preview_key) "
            "SELECT 'Generated article number ' || n.i, 'generated-article-' || n.i, '', %s, "
            f"'A paragraph of a generated article.', {section_case}, '', '', '', '', '', "
            f"{false}, '', '', '', 'published', {published}, {published}, {published}, "
            f"{published}, 1, 1, '', 0 FROM n",
            [*params, body, stamp, stamp, stamp, stamp],
        )
        cursor.execute("SELECT MIN(id) FROM articles_article WHERE slug LIKE 'generated-%%'")
        (first_article,) = cursor.fetchone()
        # Each article by one author and every other one by the news desk too, whose page then
        # lists half of all articles; a byline carries its article's time (articles/listings.py).
        cursor.execute(
            "INSERT INTO articles_author (name, slug, kind, role, bio, photo, links, is_active) "
            f"VALUES ('Generated news desk', 'generated-news-desk', 'desk', '', '', '', '', {true})"
        )
        cursor.execute("SELECT id FROM articles_author WHERE slug = 'generated-news-desk'")
        (desk,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO articles_articleauthor "
            "(article_id, author_id, position, goes_out_at, changed_at) "
            f"SELECT id, {first_author} + (id - {first_article}) %% {authors}, 0, published_at, "
            "published_at "
            "FROM articles_article WHERE id >= %s",
            [first_article],
        )
        cursor.execute(
            "INSERT INTO articles_articleauthor "
            "(article_id, author_id, position, goes_out_at, changed_at) "
            f"SELECT id, {desk}, 1, published_at, published_at FROM articles_article "
            "WHERE id >= %s AND (id - %s) %% 2 = 0",
            [first_article, first_article],
        )
        cursor.execute(
            "INSERT INTO articles_article_tags (article_id, tag_id) "
            f"SELECT id, {first_tag} + (id - {first_article}) %% {TAGS} "
            "FROM articles_article WHERE id >= %s",
            [first_article],
        )
        cursor.execute(  # and the running story's, as the desk's byline, on every other one
            "INSERT INTO articles_article_tags (article_id, tag_id) "
            f"SELECT id, {running_story.pk} FROM articles_article "
            "WHERE id >= %s AND (id - %s) %% 2 = 0",
            [first_article, first_article],
        )
        cursor.execute(  # what articles/listings.py keeps for each article's tag
            "INSERT INTO articles_taglisting (article_id, tag_id, goes_out_at, changed_at) "
            "SELECT t.article_id, t.tag_id, a.published_at, a.published_at "
            "FROM articles_article_tags t "
            "JOIN articles_article a ON a.id = t.article_id WHERE t.article_id >= %s",
            [first_article],
        )
        items = articles * feed_per_article
        head, params = series(items)
        moment = minutes_ago("n.i * 0.1 + 30")
        cursor.execute(
            head + "INSERT INTO feed_feeditem (headline, summary, published_at, section_id, url, "
            "summary_rendered, pinned, status, created_at, updated_at, change_number) "
            f"SELECT 'Update number ' || n.i, %s, {moment}, {section_case}, '', %s, {false}, "
            f"'published', {moment}, {moment}, 0 FROM n",
            [*params, summary, stamp, rendered, stamp, stamp],
        )
    with connection.cursor() as cursor:
        # As autovacuum leaves PostgreSQL's tables after a bulk load: its statistics, and the
        # visibility map that lets a query read an index without visiting the table.
        cursor.execute("VACUUM ANALYZE" if postgres else "ANALYZE")
    freshness.everything_changed()


def pages():
    """The public pages to time, by name: [(name, path)]."""
    from django.db.models import Count

    from articles.models import Article, Author, Section, Tag
    from feed.models import FeedItem
    from newsroom import keyset

    oldest = list(Article.objects.published().order_by("published_at", "id")[:21])
    deep_item = FeedItem.objects.published().order_by("published_at", "id")[100]
    section = Section.objects.order_by("position").first()
    # The author (the news desk) and the tag (the running story) with the most articles: their
    # pages are where size could show.
    author = Author.objects.annotate(n=Count("articles")).order_by("-n", "pk").first()
    tag = Tag.objects.annotate(n=Count("articles")).order_by("-n", "pk").first()
    from feed import changes

    return [
        ("home", "/"),
        ("article", _site.SAMPLE_PATH),
        ("section", section.get_absolute_url()),
        ("author", author.get_absolute_url()),
        ("tag", tag.get_absolute_url()),
        ("archive, first page", "/archive/"),
        ("archive, last page", f"/archive/?before={keyset.cursor_for(oldest[-1])}"),
        ("/feed/, first page", "/feed/"),
        ("/feed/, deep page", f"/feed/?before={keyset.cursor_for(deep_item)}"),
        ("RSS", "/rss/"),
        ("author's RSS", f"{author.get_absolute_url()}rss/"),
        ("sitemap index", "/sitemap.xml"),
        ("sitemap, articles, page 1", "/sitemap-articles.xml"),
        ("sitemap, authors, page 1", "/sitemap-authors.xml"),
        ("news sitemap", "/news-sitemap.xml"),
        ("updates.json", f"/feed/updates.json?after={changes.current()}"),
    ]


def explain(sql):
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    try:
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            rows = cursor.fetchall()
    except Exception as error:  # a query shown with its parameters written in may not re-run
        return [f"(not explained: {error})"]
    if connection.vendor == "sqlite":
        return [row[-1] for row in rows]
    return [row[0] for row in rows]


def measure(repeat):
    """{name: {"ms", "queries": [(sql, plan)]}} for every page (run in the child)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    results = {}
    for name, path in pages():
        for _ in range(2):
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries = [(query["sql"], explain(query["sql"])) for query in captured.captured_queries]
        results[name] = {
            "path": path,
            "times": times,
            "queries": queries,
            "addresses": response.content.count(b"<url>"),  # a sitemap page's, else 0
        }
    return results


def child(articles, feed_per_article, repeat, output, build):
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.core.management import call_command

    built = None
    if build:
        call_command("migrate", verbosity=0)
        from newsroom import demo

        demo.load()
        call_command("import_text", str(_site.SAMPLE), verbosity=0)
        started = time.monotonic()
        generate(articles, feed_per_article)
        built = time.monotonic() - started
    results = measure(repeat)
    Path(output).write_text(json.dumps({"built_seconds": built, "pages": results}))


NOTHING_CACHED = (
    "from newsroom.settings import *  # noqa: F403\n"
    'CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}\n'
)


def run_size(database_url, articles, feed_per_article, repeat, folder, static_root, build):
    """Time every page of the database of `articles` articles in a process of its own, after
    making the database if `build`."""
    output = folder / f"result-{articles}.json"
    (folder / "scale_settings.py").write_text(NOTHING_CACHED)
    env = {
        **_site.production_env(folder, 8000),
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(static_root),
        "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "scale_settings",
        "PYTHONPATH": f"{folder}{os.pathsep}{ROOT}",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            str(articles),
            str(feed_per_article),
            str(repeat),
            str(output),
            "build" if build else "reuse",
        ],
        env=env,
        cwd=ROOT,
        check=True,
    )
    return json.loads(output.read_text())


def on_postgres_server(base_url, *statements):
    """Run `statements` on the server of `base_url`, outside a transaction (as CREATE and DROP
    DATABASE must be); the server's URL."""
    import psycopg

    server = base_url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)
    return server


def postgres_database(base_url, name):
    """A fresh PostgreSQL database `name` on the server of `base_url`; its URL."""
    server = on_postgres_server(
        base_url, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'
    )
    return f"{server}/{name}"


def drop_postgres_databases(base_url, urls):
    """Drop the databases the run made (a million feed items each, at the largest size)."""
    names = [url.rsplit("/", 1)[1] for url in urls if url.startswith("postgres")]
    on_postgres_server(base_url, *(f'DROP DATABASE IF EXISTS "{name}"' for name in names))


def measure_rounds(args, url, folder, static_root, runs, databases_of, each_round):
    """Time every page at each size in --rounds rounds, the sizes in turn, into `runs`; the
    databases made at each size go into `databases_of`."""
    for number in range(args.rounds):
        order = args.sizes if number % 2 == 0 else args.sizes[::-1]
        for size in order:
            build = size not in databases_of
            if build and url is None:
                databases_of[size] = f"sqlite:///{folder}/scale-{size}.sqlite3"
            elif build:
                databases_of[size] = postgres_database(url, f"newsroom_scale_{size}")
            run = run_size(
                databases_of[size],
                size,
                args.feed_per_article,
                each_round,
                folder,
                static_root,
                build,
            )
            if build:
                runs[size] = run
            else:  # this round's timings join the others'; its queries are the last
                for name, timing in run["pages"].items():
                    timing["times"] = runs[size]["pages"][name]["times"] + timing["times"]
                runs[size]["pages"] = run["pages"]


def report(label, sizes, runs):
    small, large = sizes[0], sizes[-1]
    lines = [
        f"{label}: page render time in process, nothing cached "
        f"({small:,} vs {large:,} articles; goal: ratio ≤ {GOAL})",
        f"{'page':<28}{small:>12,}{large:>12,}{'ratio':>8}  goal",
    ]
    for name, timing in runs[small]["pages"].items():
        before = statistics.median(timing["times"])
        after = statistics.median(runs[large]["pages"][name]["times"])
        ratio = after / before
        verdict = "met" if ratio <= GOAL else "NOT MET"
        lines.append(f"{name:<28}{before:>10.1f}ms{after:>10.1f}ms{ratio:>8.2f}  {verdict}")
        held = timing["addresses"], runs[large]["pages"][name]["addresses"]
        if held[0] != held[1]:  # a sitemap page not yet full with the smaller set
            each = (after / held[1]) / (before / held[0])
            verdict = "met" if each <= GOAL else "NOT MET"
            lines.append(
                f"{'  the same, per address':<28}{before / held[0] * 1000:>10.0f}µs"
                f"{after / held[1] * 1000:>10.0f}µs{each:>8.2f}  {verdict} "
                f"({held[0]:,} and {held[1]:,} addresses)"
            )
    for size in sizes:
        lines.append(f"generated {size:,} articles in {runs[size]['built_seconds']:.1f} s")
    return lines


def explains(label, run):
    lines = [f"{label}: EXPLAIN of each query at the largest size"]
    for name, timing in run["pages"].items():
        lines.append(f"-- {name} ({timing['path']}): {len(timing['queries'])} queries")
        for sql, plan in timing["queries"]:
            lines.append(f"   {sql[:160]}{'…' if len(sql) > 160 else ''}")
            lines += [f"      {step}" for step in plan]
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument(
        "--feed-per-article", type=int, default=10, help="feed items per article (10: a million)"
    )
    parser.add_argument("--repeat", type=int, default=9, help="timings of each page and size")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="the timings are taken in this many rounds, the sizes in turn (ABBA…), so that a "
        "machine slowing down or speeding up during the run weighs on both sizes alike",
    )
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    if args.child:
        articles, per, repeat, output, build = args.child
        child(int(articles), int(per), int(repeat), output, build == "build")
        return
    each_round = max(1, -(-args.repeat // args.rounds))

    databases = [("SQLite", None)]
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres") and not args.no_postgres:
        databases.append(("PostgreSQL", base))
    lines = [
        f"scale_bench: {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M %Z')}, "
        f"{args.feed_per_article} feed items per article, {AUTHORS:,} authors"
    ]
    detail = []
    with tempfile.TemporaryDirectory(prefix="newsroom-scale-") as path:
        folder = Path(path)
        static_root = folder / "static"
        env = {**_site.production_env(folder, 8000), "STATIC_ROOT": str(static_root)}
        _site.manage(env, "collectstatic", "--no-input", "-v0")
        for label, url in databases:
            runs, databases_of = {}, {}
            try:
                measure_rounds(args, url, folder, static_root, runs, databases_of, each_round)
            finally:
                if url:
                    drop_postgres_databases(url, databases_of.values())
            lines += ["", *report(label, args.sizes, runs)]
            detail += ["", *explains(label, runs[args.sizes[-1]])]
    text = "\n".join(lines)
    print(text)
    print("\n".join(detail))
    results = Path(__file__).resolve().parent / "results"
    results.mkdir(exist_ok=True)
    (results / "scale_bench.txt").write_text(text + "\n" + "\n".join(detail) + "\n")


if __name__ == "__main__":
    main()
