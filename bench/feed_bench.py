"""How fast /feed/updates.json answers, and whether that holds with 100,000 feed items.

For each size it builds a throwaway SQLite database of feed items (bulk inserts), serves the
project with gunicorn on 127.0.0.1, and measures requests per second of:

- a minimal Django view ("ok"), through the same middleware: the baseline;
- /feed/updates.json answered 304 (the client's ETag is current);
- /feed/updates.json answered 200: the latest 20 items, one section's, the items changed in
  the last hour, and (what open pages ask most) changes in the last seconds, when none.

It prints each rate and its ratio to the baseline of the same run, then the ratio of the
200 rates at the largest size to those at the smallest: near 1 means the cost is flat.

    python bench/feed_bench.py                # 1,000 and 100,000 items
    python bench/feed_bench.py --sizes 1000 --seconds 2

REDIS_URL, when set, is passed to the server (its cache is then Redis, as in production).
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PORT = 8210  # and the ports after it, one per size
SECTIONS = 8

SERVER_SETTINGS = """
from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
# No collectstatic for a throwaway run; the JSON endpoint serves no static files.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# One worker process, so a local-memory token may last the whole run (newsroom/freshness.py).
FEED_POLL_INTERVAL = 3600
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
"""
SERVER_URLS = """
from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ok", ok), *site]
"""


def build(database, count):
    """Fill `database` with `count` published feed items (run in a child process)."""
    import django

    django.setup()
    from datetime import timedelta

    from django.core.management import call_command
    from django.db.models import F
    from django.utils import timezone

    from articles import rendering
    from articles.models import Section
    from feed.models import FeedItem

    call_command("migrate", verbosity=0)
    sections = [Section.objects.create(name=f"Section {n}") for n in range(SECTIONS)]
    summary = "Romanian protesters have ended their **blockade** at the crossing."
    rendered = rendering.markdown_to_html(summary)
    now = timezone.now()
    batch = []
    for n in range(count):
        moment = now - timedelta(minutes=n + 10)
        batch.append(
            FeedItem(
                headline=f"Update number {n}",
                summary=summary,
                summary_rendered=rendered,
                published_at=moment,
                section=sections[n % SECTIONS],
                pinned=n % 5000 == 0,
            )
        )
        if len(batch) == 5000:
            FeedItem.objects.bulk_create(batch)
            batch = []
    FeedItem.objects.bulk_create(batch)
    # bulk_create leaves updated_at at the insert time; spread it like real edits.
    FeedItem.objects.update(updated_at=F("published_at"))


def environment(folder, database):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "benchmark-only",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "PYTHONPATH": f"{folder}{os.pathsep}{ROOT}",
        "STATIC_ROOT": str(folder / "static"),
    }
    return env


def fetch(port, path, headers=None):
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


def wait_for_server(process, port, deadline=30):
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn stopped; see its output above")
        try:
            fetch(port, "/bench/ok")
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer on {HOST}:{port} within {deadline} s")


def rate(port, path, headers, expect, seconds, clients, max_requests):
    """Requests per second over `seconds` (or `max_requests`), checking every status."""
    done, failures = [0], []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker():
        while time.monotonic() < stop_at:
            with lock:
                if done[0] >= max_requests:
                    return
                done[0] += 1
                number = done[0]
            # "{n}" makes every request a question not asked before, past the answer cache.
            status, _, _ = fetch(
                port, path.replace("{n}", f"{number}-{time.monotonic_ns()}"), headers
            )
            if status != expect:
                failures.append(status)
                return

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    if failures:
        raise SystemExit(f"{path} answered {failures[0]}, expected {expect}")
    return done[0] / elapsed


def start_server(size, port, folder):
    """Build the database of `size` items and serve it on `port` with one gunicorn worker."""
    database = folder / f"feed-{size}.sqlite3"
    env = environment(folder, database)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, __file__, "--build", str(database), str(size)],
        env=env,
        cwd=ROOT,
        check=True,
    )
    print(f"built {size:,} items in {time.monotonic() - started:.1f} s")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "newsroom.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            "1",
            "--threads",
            "1",
            "--log-level",
            "warning",
        ],  # fmt: skip
        env=env,
        cwd=ROOT,
    )
    wait_for_server(server, port)
    return server


def cases_for(port):
    status, headers, _ = fetch(port, "/feed/updates.json")
    if status != 200:
        raise SystemExit(f"/feed/updates.json answered {status}")
    return {
        "baseline (minimal view)": ("/bench/ok", {}, 200),
        "304 updates.json": ("/feed/updates.json", {"If-None-Match": headers["ETag"]}, 304),
        "200 updates.json, answer kept": ("/feed/updates.json", {}, 200),
        "200 updates.json, new question": ("/feed/updates.json?q={n}", {}, 200),
        "200 ?section=, new question": ("/feed/updates.json?section=section-3&q={n}", {}, 200),
        "200 ?since= (1 h ago), new question": (
            "/feed/updates.json?since=" + since_ago(hours=1) + "&q={n}",
            {},
            200,
        ),
        "200 ?since= (nothing new), new question": (
            "/feed/updates.json?since=" + since_ago(seconds=5) + "&q={n}",
            {},
            200,
        ),
    }


def measure(args, folder):
    """Rates per size and case; rounds interleave sizes and cases alike, so that a busy
    moment of the machine falls on all of them rather than on one."""
    servers = {}
    try:
        for number, size in enumerate(args.sizes):
            servers[size] = (PORT + number, start_server(size, PORT + number, folder))
        cases = {size: cases_for(port) for size, (port, _) in servers.items()}
        rates = {size: {name: [] for name in cases[size]} for size in args.sizes}
        for _ in range(args.rounds):
            for size, (port, _) in servers.items():
                for name, (path, headers, expect) in cases[size].items():
                    per_second = rate(
                        port,
                        path,
                        headers,
                        expect,
                        args.seconds / args.rounds,
                        args.clients,
                        args.max_requests,
                    )
                    rates[size][name].append(per_second)
        return {
            size: {name: statistics.median(values) for name, values in by_case.items()}
            for size, by_case in rates.items()
        }
    finally:
        for _, server in servers.values():
            server.terminate()
            server.wait(timeout=10)


def since_ago(**delta):
    from datetime import UTC, datetime, timedelta
    from urllib.parse import quote

    return quote((datetime.now(UTC) - timedelta(**delta)).isoformat())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--seconds", type=float, default=8, help="per case and size")
    parser.add_argument("--rounds", type=int, default=8, help="interleaved rounds")
    parser.add_argument("--clients", type=int, default=2, help="concurrent connections")
    parser.add_argument("--max-requests", type=int, default=20_000, help="per measurement")
    parser.add_argument("--build", nargs=2, metavar=("DATABASE", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(args.build[0], int(args.build[1]))
        return

    with tempfile.TemporaryDirectory(prefix="feed-bench-") as name:
        folder = Path(name)
        (folder / "bench_settings.py").write_text(textwrap.dedent(SERVER_SETTINGS))
        (folder / "bench_urls.py").write_text(textwrap.dedent(SERVER_URLS))
        all_results = measure(args, folder)
    for size, results in all_results.items():
        print(f"{size:,} feed items (median of {args.rounds} rounds, {args.clients} clients)")
        baseline = results["baseline (minimal view)"]
        for name, per_second in results.items():
            ratio = per_second / baseline
            print(f"  {name:<42} {per_second:8.0f} req/s   x{ratio:.2f} of baseline")
    if len(args.sizes) > 1:
        small, large = min(args.sizes), max(args.sizes)
        print(
            f"speed at {large:,} items over speed at {small:,}, each against its baseline "
            "(1.00 = flat):"
        )
        for name in all_results[small]:
            if name.startswith("baseline"):
                continue
            ratio_small = all_results[small][name] / all_results[small]["baseline (minimal view)"]
            ratio_large = all_results[large][name] / all_results[large]["baseline (minimal view)"]
            print(f"  {name:<42} x{ratio_large / ratio_small:.2f}")


if __name__ == "__main__":
    main()
