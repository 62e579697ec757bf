"""Requests per second of the home and article pages beside a minimal Django view, with wrk.

The site runs under gunicorn (2 sync workers, production settings, demo content and the
imported sample article) three times: with the page cache, with the page cache off
(PAGE_CACHE_SECONDS=0: every request renders the page, from the fragments kept under the
tokens, newsroom/freshness.py) and with nothing cached (Django's dummy cache backend: every
request reads the database). With the page cache, a kept page is sent from each worker's own
copies (newsroom/copies.py) when the cache is Redis. Beside it, a one-view Django app
answers a 15 kB string: the baseline, loaded just before and just after each page, whose ratio
is to the mean of the two (a shared machine's speed drifts over a run). Every figure is wrk's
(`-t2 -c16`, browsers' Accept-Encoding) in the same run, and what to compare between machines
is the ratio to the baseline. REDIS_URL, when set, is the cache (as in production); without it
each worker has its own memory cache.

    python bench/pages_bench.py [--seconds 8]
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

SITE_PORT = 8101
BASELINE_PORT = 8102
ACCEPT = "gzip, deflate, br"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) NewsroomBench/1.0"

OVERRIDES = {
    "page cache off": "PAGE_CACHE_SECONDS = 0\n",
    "nothing cached": (
        'CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}\n'
    ),
}
SETTINGS = "from newsroom.settings import *  # noqa: F403\n"

GOALS = {
    ("page cache on", "home"): 0.9,
    ("page cache on", "article"): 0.9,
    ("page cache on", "updates.json, 304"): 0.9,
    ("page cache off", "home"): 0.15,
    ("page cache off", "article"): 0.2,
    ("nothing cached", "article"): 0.07,
}


def wrk(url, seconds, headers=()):
    """Requests per second and the 99th percentile latency (ms) wrk measured at `url`."""
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency"]
    for header in (f"Accept-Encoding: {ACCEPT}", f"User-Agent: {USER_AGENT}", *headers):
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in output:
        raise SystemExit(f"{url} answered errors:\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    return rate, float(p99.group(1)) * scale


def poll_headers(base):
    """The address an open feed page polls and the ETag that makes it 304."""
    with urllib.request.urlopen(f"{base}/feed/") as response:
        page = response.read().decode()
    address = re.search(r'data-updates-url="([^"]+)"', page).group(1).replace("&amp;", "&")
    with urllib.request.urlopen(f"{base}{address}") as response:
        etag = response.headers["ETag"]
        json.load(response)
    return address, etag


def settings_folder(workdir, name):
    folder = workdir / name.replace(" ", "_")
    folder.mkdir(exist_ok=True)
    (folder / "bench_settings.py").write_text(SETTINGS + OVERRIDES.get(name, ""))
    return folder


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    args = parser.parse_args()
    results, baselines = {}, []
    with _site.workdir() as workdir:
        env = _site.prepare(workdir, SITE_PORT)
        if os.environ.get("REDIS_URL"):
            env["REDIS_URL"] = os.environ["REDIS_URL"]
        baseline_dir = Path(__file__).resolve().parent / "baseline"
        with _site.gunicorn("app:application", BASELINE_PORT, env, cwd=baseline_dir) as base:
            wrk(f"{base}/", 2)

            def beside_baseline(url, headers=()):
                """wrk's figures at `url`, and the baseline's just before and just after (a
                machine's speed drifts over a run; idle, the other server costs nothing)."""
                before = wrk(f"{base}/", args.seconds)
                measured = wrk(url, args.seconds, headers)
                after = wrk(f"{base}/", args.seconds)
                baselines.extend([before, after])
                return (*measured, (before[0] + after[0]) / 2)

            for mode in ("page cache on", "page cache off", "nothing cached"):
                folder = settings_folder(workdir, mode)
                mode_env = {
                    **env,
                    "DJANGO_SETTINGS_MODULE": "bench_settings",
                    "PYTHONPATH": f"{folder}{os.pathsep}{_site.ROOT}",
                }
                with _site.gunicorn("newsroom.wsgi:application", SITE_PORT, mode_env) as site:
                    pages = {"home": "/", "article": _site.SAMPLE_PATH}
                    for name, path in pages.items():
                        wrk(f"{site}{path}", 2)  # every worker's cache warm
                        results[(mode, name)] = beside_baseline(f"{site}{path}")
                    if mode == "page cache on":
                        address, etag = poll_headers(site)
                        url = f"{site}{address}"
                        wrk(url, 2, [f"If-None-Match: {etag}"])
                        results[(mode, "updates.json, 304")] = beside_baseline(
                            url, [f"If-None-Match: {etag}"]
                        )

    rates = sorted(rate for rate, _ in baselines)
    p99s = sorted(p99 for _, p99 in baselines)
    median = len(rates) // 2
    results = {("baseline", "minimal Django view"): (rates[median], p99s[median], None), **results}
    cache = "Redis" if os.environ.get("REDIS_URL") else "per-worker memory"
    rows = [
        f"pages_bench: {os.cpu_count()} CPUs, {time.strftime('%Y-%m-%d %H:%M %Z')}, gunicorn "
        f"2 sync workers, wrk -t2 -c16 -d{args.seconds}s, cache: {cache}; each page's ratio is "
        f"to the baseline's runs just before and after it (its median: the baseline's row)",
        f"{'mode':<16}{'page':<22}{'req/s':>9}{'p99 ms':>9}{'× baseline':>12}  goal",
    ]
    for (mode, name), (rate, p99, beside) in results.items():
        ratio = rate / (beside or rate)
        goal = GOALS.get((mode, name))
        verdict = "" if goal is None else f"≥ {goal}: {'met' if ratio >= goal else 'NOT MET'}"
        rows.append(f"{mode:<16}{name:<22}{rate:>9.0f}{p99:>9.1f}{ratio:>12.3f}  {verdict}")
    report = "\n".join(rows)
    print(report)
    results_dir = Path(__file__).resolve().parent / "results"
    results_dir.mkdir(exist_ok=True)
    (results_dir / "pages_bench.txt").write_text(report + "\n")


if __name__ == "__main__":
    main()
