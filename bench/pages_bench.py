"""Requests per second of the home and article pages beside a minimal Django view.

Both are served by gunicorn (2 sync workers) on 127.0.0.1 in the same run, loaded by the
same client for the same number of requests; the ratio site / baseline is what to compare
between machines. Usage: python bench/pages_bench.py [--requests N] [--concurrency C]
"""

import argparse
import http.client
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _site  # noqa: E402

SITE_PORT = 8101
BASELINE_PORT = 8102
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) NewsroomBench/1.0"


def hammer(port, path, requests, concurrency):
    """Fetch `path` `requests` times from `concurrency` threads; return requests per second."""
    per_thread = requests // concurrency

    def worker(_):
        for _ in range(per_thread):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path, headers={"User-Agent": USER_AGENT})
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status != 200:
                raise SystemExit(f"{path} answered {response.status}")

    hammer_start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(worker, range(concurrency)))
    return per_thread * concurrency / (time.perf_counter() - hammer_start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="per page (max 10000)")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    requests = min(args.requests, 10_000)

    with _site.workdir() as workdir:
        env = _site.prepare(workdir, SITE_PORT)
        baseline_dir = Path(__file__).resolve().parent / "baseline"
        with (
            _site.gunicorn("newsroom.wsgi:application", SITE_PORT, env),
            _site.gunicorn("app:application", BASELINE_PORT, env, cwd=baseline_dir),
        ):
            for port, path in (
                (BASELINE_PORT, "/"),
                (SITE_PORT, "/"),
                (SITE_PORT, _site.SAMPLE_PATH),
            ):
                hammer(port, path, 100, 4)  # warm the page caches of every worker
            baseline = hammer(BASELINE_PORT, "/", requests, args.concurrency)
            home = hammer(SITE_PORT, "/", requests, args.concurrency)
            article = hammer(SITE_PORT, _site.SAMPLE_PATH, requests, args.concurrency)

    rows = [f"{'page':<22}{'req/s':>10}{'vs baseline':>14}"]
    for name, rate in (("minimal Django view", baseline), ("home", home), ("article", article)):
        rows.append(f"{name:<22}{rate:>10.0f}{rate / baseline:>14.2f}")
    report = "\n".join(rows)
    print(report)
    results = Path(__file__).resolve().parent / "results"
    results.mkdir(exist_ok=True)
    (results / "pages_bench.txt").write_text(report + "\n")


if __name__ == "__main__":
    main()
