"""Breaking news: readers on home, an article and /feed/ while a feed item goes out every 5 s.

The site runs under gunicorn (2 sync workers, production settings, demo content and the
sample article, the cache in Redis when REDIS_URL is set). 50 clients (three wrk processes,
on /, the sample article and /feed/) load it for --seconds, first with nothing published,
then while another process publishes a feed item every 5 s and, after each, reads the home
page until the item shows. Goals: throughput while publishing at least 0.7 of the quiet
run's, the 99th percentile latency under 500 ms, and each item on the home page within one
poll interval (FEED_POLL_INTERVAL, 10 s).

    REDIS_URL=redis://127.0.0.1:6379/7 python bench/breaking_bench.py [--seconds 60]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _site  # noqa: E402

PORT = 8103
PAGES = {"home": "/", "article": _site.SAMPLE_PATH, "/feed/": "/feed/"}
CLIENTS = {"home": 17, "article": 17, "/feed/": 16}
EVERY = 5
POLL_INTERVAL = 10


def load(base, seconds):
    """Run the three wrk processes at once: {page: (req/s, p99 ms)}."""
    processes = {
        name: subprocess.Popen(
            [
                "wrk",
                "-t1",
                f"-c{CLIENTS[name]}",
                f"-d{seconds}s",
                "--latency",
                "-H",
                "Accept-Encoding: gzip, deflate, br",
                f"{base}{path}",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for name, path in PAGES.items()
    }
    results = {}
    for name, process in processes.items():
        output = process.communicate()[0]
        if "Non-2xx or 3xx responses" in output:
            raise SystemExit(f"{name} answered errors:\n{output}")
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
        p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
        results[name] = (rate, float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99[2]])
    return results


def publish(seconds, base, output):
    """In a child with the site's settings: publish an item every EVERY s, time its arrival."""
    sys.path.insert(0, str(_site.ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from feed.models import FeedItem

    delays = []
    stop_at = time.monotonic() + seconds - EVERY
    number = 0
    while time.monotonic() < stop_at:
        number += 1
        headline = f"Breaking update {number} at {time.time():.0f}"
        started = time.monotonic()
        FeedItem.objects.create(headline=headline, summary="Sirens in Kyiv.")
        while time.monotonic() - started < 3 * POLL_INTERVAL:
            with urllib.request.urlopen(f"{base}/") as response:
                if headline.encode() in response.read():
                    break
            time.sleep(0.1)
        delays.append(time.monotonic() - started)
        time.sleep(max(0.0, EVERY - (time.monotonic() - started)))
    Path(output).write_text(json.dumps(delays))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--publish", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.publish:
        seconds, base, output = args.publish
        publish(int(seconds), base, output)
        return
    with _site.workdir() as workdir:
        env = _site.prepare(workdir, PORT)
        if os.environ.get("REDIS_URL"):
            env["REDIS_URL"] = os.environ["REDIS_URL"]
        with _site.gunicorn("newsroom.wsgi:application", PORT, env) as base:
            load(base, 3)
            quiet = load(base, args.seconds)
            output = workdir / "delays.json"
            publisher = subprocess.Popen(
                [sys.executable, __file__, "--publish", str(args.seconds), base, str(output)],
                cwd=_site.ROOT,
                env=env,
            )
            busy = load(base, args.seconds)
            publisher.wait(timeout=args.seconds + 60)
            delays = json.loads(output.read_text())

    quiet_rate = sum(rate for rate, _ in quiet.values())
    busy_rate = sum(rate for rate, _ in busy.values())
    p99 = max(latency for _, latency in busy.values())
    ratio = busy_rate / quiet_rate
    cache = "Redis" if os.environ.get("REDIS_URL") else "per-worker memory"
    rows = [
        f"breaking_bench: {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M %Z')}, gunicorn "
        f"2 sync workers, 50 clients for {args.seconds} s, cache: {cache}",
        f"{'page':<10}{'quiet req/s':>13}{'publishing':>12}{'p99 ms':>9}",
    ]
    for name in PAGES:
        rows.append(f"{name:<10}{quiet[name][0]:>13.0f}{busy[name][0]:>12.0f}{busy[name][1]:>9.1f}")
    worst = max(delays, default=float("nan"))
    rows += [
        f"throughput while publishing: {ratio:.2f} of quiet (goal ≥ 0.7: "
        f"{'met' if ratio >= 0.7 else 'NOT MET'})",
        f"p99 while publishing: {p99:.0f} ms (goal < 500 ms: {'met' if p99 < 500 else 'NOT MET'})",
        f"{len(delays)} items published; on the home page after {min(delays, default=0):.1f} to "
        f"{worst:.1f} s (goal ≤ {POLL_INTERVAL} s: "
        f"{'met' if delays and worst <= POLL_INTERVAL else 'NOT MET'})",
    ]
    report = "\n".join(rows)
    print(report)
    results_dir = Path(__file__).resolve().parent / "results"
    results_dir.mkdir(exist_ok=True)
    (results_dir / "breaking_bench.txt").write_text(report + "\n")


if __name__ == "__main__":
    main()
