"""Breaking news under load, slow clients and outages, on PostgreSQL with Redis, loopback only.

The site runs as `make serve` runs it (gunicorn with 2 uvicorn workers) against a database
and a redis-server of this script's own; a minimal Django view under gunicorn is measured in
the same run for comparison. Three runs, each bounded in time:

1. mixed load: C clients on home, an article, /feed/ and /feed/updates.json while a feed item
   is published every second; every item must be in updates.json within 15 s;
2. the same with 20 slow clients holding connections open (headers sent a byte a second):
   normal requests must keep a p99 under 1 s;
3. faults: Redis killed and restarted, then every PostgreSQL connection of the site
   terminated; errors are counted per phase and the last phase must have none (the site
   recovers without a restart).

Usage: python bench/load_bench.py [--seconds 60] [--clients 50] [--slow 20]
Needs PostgreSQL at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres,
used only to create and drop a database of its own) and redis-server on the PATH.
"""

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import _site  # noqa: E402

PATHS = ["/", _site.SAMPLE_PATH, "/feed/", "/feed/updates.json"]
VISIBLE_WITHIN = 15
SLOW_P99 = 1.0


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port, path, timeout=10):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"User-Agent": "NewsroomLoad/1.0"})
        response = connection.getresponse()
        body = response.read()
        return response.status, body
    finally:
        connection.close()


def client_process(port, paths, threads, seconds):
    """Run `threads` clients for `seconds`; return (start offset, latency, status) per request."""
    results, lock = [], threading.Lock()
    started = time.monotonic()
    stop_at = started + seconds

    def client():
        mine = []
        while time.monotonic() < stop_at:
            path = random.choice(paths)
            begun = time.monotonic()
            try:
                status, _ = fetch(port, path)
            except OSError:
                status = 0
            mine.append((begun - started, time.monotonic() - begun, status))
        with lock:
            results.extend(mine)

    pool = [threading.Thread(target=client) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return results


def load(port, paths, clients, seconds):
    """`clients` client threads spread over two processes, so the client is not the limit."""
    halves = [clients // 2, clients - clients // 2]
    with ProcessPoolExecutor(2) as pool:
        parts = pool.map(client_process, [port] * 2, [paths] * 2, halves, [seconds] * 2)
    return [row for part in parts for row in part]


def summary(rows, seconds):
    latencies = sorted(latency for _, latency, _ in rows)
    errors = sum(1 for _, _, status in rows if status not in (200, 304))
    p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan")
    return {
        "requests": len(rows),
        "per_second": len(rows) / seconds,
        "errors": errors,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": p99,
    }


class Publisher(threading.Thread):
    """Publishes a feed item every second and notes when each shows in updates.json."""

    def __init__(self, port, every=1.0):
        super().__init__(daemon=True)
        self.port, self.every = port, every
        self.published, self.seen = {}, {}
        self.stopping = threading.Event()

    def run(self):
        from feed.models import FeedItem

        watcher = threading.Thread(target=self.watch, daemon=True)
        watcher.start()
        while not self.stopping.wait(self.every):
            headline = f"Breaking {uuid.uuid4().hex[:10]}"
            FeedItem.objects.create(headline=headline, summary="Update.")
            self.published[headline] = time.monotonic()
        watcher.join(VISIBLE_WITHIN + 2)

    def watch(self):
        deadline = None
        while True:
            if self.stopping.is_set():
                deadline = deadline or time.monotonic() + VISIBLE_WITHIN
                if len(self.seen) == len(self.published) or time.monotonic() > deadline:
                    return
            try:
                _, body = fetch(self.port, "/feed/updates.json?limit=100")
            except OSError:
                time.sleep(0.5)
                continue
            text = body.decode(errors="replace")
            now = time.monotonic()
            for headline in list(self.published):
                if headline not in self.seen and headline in text:
                    self.seen[headline] = now
            time.sleep(0.5)

    def delays(self):
        return [
            self.seen.get(headline, float("inf")) - published
            for headline, published in self.published.items()
        ]


def slow_client(port, stop):
    with socket.create_connection(("127.0.0.1", port)) as connection:
        for byte in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"x" * 1000:
            if stop.wait(1):
                return
            try:
                connection.send(bytes([byte]))
            except OSError:
                return


class Redis:
    def __init__(self, workdir):
        self.port, self.workdir, self.process = free_port(), workdir, None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
        )
        time.sleep(0.5)

    def stop(self):
        self.process.kill()
        self.process.wait(10)


def terminate_connections(admin_url, database):
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )


def faults(port, clients, seconds, redis, admin_url, database):
    """Load for `seconds`, with Redis down in the second fifth, PostgreSQL cut in the fourth."""
    fifth = seconds / 5
    plan = [
        (fifth, redis.stop),
        (2 * fifth, redis.start),
        (3 * fifth, lambda: terminate_connections(admin_url, database)),
    ]

    def saboteur():
        started = time.monotonic()
        for at, action in plan:
            time.sleep(max(0, started + at - time.monotonic()))
            action()

    thread = threading.Thread(target=saboteur, daemon=True)
    thread.start()
    rows = load(port, PATHS, clients, seconds)
    thread.join()
    names = ["before", "Redis down", "Redis back", "PostgreSQL cut", "after"]
    phases = {name: [] for name in names}
    for row in rows:
        phases[names[min(4, int(row[0] // fifth))]].append(row)
    return {name: summary(phase, fifth) for name, phase in phases.items()}


def baseline_rate(seconds):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(_site.ROOT / "bench" / "baseline")}
    with _site.gunicorn("app:application", port, env, cwd=_site.ROOT / "bench" / "baseline"):
        return summary(load(port, ["/"], 16, seconds), seconds)["per_second"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--slow", type=int, default=20)
    options = parser.parse_args()
    admin_url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    database = f"newsroom_load_{uuid.uuid4().hex[:8]}"
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database}"')
    try:
        with _site.workdir() as workdir:
            run(options, workdir, admin_url, database)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def run(options, workdir, admin_url, database):
    redis = Redis(workdir)
    redis.start()
    port = free_port()
    env = _site.production_env(workdir, port)
    env.update(
        DATABASE_URL=admin_url.rsplit("/", 1)[0] + "/" + database,
        REDIS_URL=f"redis://127.0.0.1:{redis.port}/0",
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="2",
    )
    _site.prepare_with(env)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    import django

    django.setup()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "newsroom/gunicorn.conf.py"],
        cwd=_site.ROOT,
        env={**env, "LOG_LEVEL": "warning"},
        stdout=subprocess.DEVNULL,
    )
    try:
        _site.wait_until_up(f"http://127.0.0.1:{port}/")
        minimal = baseline_rate(10)
        print(
            f"CPUs: {os.cpu_count()}; {time.strftime('%Y-%m-%d')}; minimal view {minimal:.0f} req/s"
        )

        publisher = Publisher(port)
        publisher.start()
        mixed = summary(load(port, PATHS, options.clients, options.seconds), options.seconds)
        publisher.stopping.set()
        publisher.join()
        delays = publisher.delays()
        report("mixed load, one feed item a second", mixed, minimal)
        print(
            f"  {len(delays)} items published; slowest in updates.json after "
            f"{max(delays):.1f} s (goal: {VISIBLE_WITHIN} s)"
        )

        stop = threading.Event()
        slow = [
            threading.Thread(target=slow_client, args=(port, stop), daemon=True)
            for _ in range(options.slow)
        ]
        for thread in slow:
            thread.start()
        time.sleep(2)
        held = summary(load(port, PATHS, options.clients, options.seconds), options.seconds)
        stop.set()
        report(f"the same with {options.slow} slow clients", held, minimal)
        print(f"  p99 {held['p99'] * 1000:.0f} ms (goal: under {SLOW_P99 * 1000:.0f} ms)")

        phases = faults(port, options.clients, options.seconds, redis, admin_url, database)
        print("faults (errors per phase; the site is never restarted):")
        for name, figures in phases.items():
            print(
                f"  {name:15} {figures['requests']:6} requests, {figures['errors']:4} errors, "
                f"p99 {figures['p99'] * 1000:.0f} ms"
            )
        ok = (
            mixed["errors"] == 0
            and max(delays) <= VISIBLE_WITHIN
            and held["p99"] < SLOW_P99
            and phases["after"]["errors"] == 0
        )
        print("all goals met" if ok else "SOME GOALS MISSED")
    finally:
        server.terminate()
        server.wait(20)
        redis.stop()


def report(title, figures, minimal):
    print(
        f"{title}: {figures['per_second']:.0f} req/s ({figures['per_second'] / minimal:.2f}× "
        f"the minimal view), {figures['errors']} errors, p50 {figures['p50'] * 1000:.0f} ms, "
        f"p99 {figures['p99'] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
