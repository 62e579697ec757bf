"""Lighthouse scores of the home page, the imported sample article and /feed/.

Runs the npm package `lighthouse` (installed into bench/node_modules from bench/package.json:
`npm ci --prefix bench`) against the site in production mode (debug off, static files
collected, gunicorn on 127.0.0.1), with Debian's Chromium at Lighthouse's default mobile
settings, three runs a page. Prints the median scores; exits 1 when accessibility, best
practices or SEO is below 100 or performance below 95. Reports go to bench/results/.
"""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _site  # noqa: E402

PORT = 8110
BENCH = Path(__file__).resolve().parent
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
RESULTS = BENCH / "results"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
REQUIRED = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
PAGES = {"home": "/", "sample article": _site.SAMPLE_PATH, "news feed": "/feed/"}
RUNS = 3
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"


def audit(url, name, run):
    report = RESULTS / f"lighthouse-{name.replace(' ', '-')}-{run}.json"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env={**os.environ, "CHROME_PATH": CHROME},
        check=True,
        timeout=180,
    )
    result = json.loads(report.read_text())
    failed = {
        audit_id: item["title"]
        for category in result["categories"].values()
        for ref in category["auditRefs"]
        if ref["weight"] and (item := result["audits"][ref["id"]])["score"] not in (None, 1)
        for audit_id in [ref["id"]]
    }
    scores = {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}
    return scores, failed


def median_audit(url, name):
    """Lighthouse scores vary with the machine's load; take the median of RUNS runs."""
    runs = []
    for run in range(1, RUNS + 1):
        for attempt in range(3):
            try:
                runs.append(audit(url, name, run))
                break
            except subprocess.CalledProcessError:
                if attempt == 2:
                    raise
    scores = {c: statistics.median(r[0][c] for r in runs) for c in CATEGORIES}
    failed = {k: v for r in runs for k, v in r[1].items()}
    return scores, failed


def main():
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is not installed: run `npm ci --prefix bench` first.")
    if not Path(CHROME).exists():
        raise SystemExit(f"No Chromium at {CHROME}: install it or set CHROME_PATH.")
    RESULTS.mkdir(exist_ok=True)
    ok = True
    with _site.workdir() as workdir:
        env = _site.prepare(workdir, PORT)
        with _site.gunicorn("newsroom.wsgi:application", PORT, env) as base:
            print(f"{'page':<16}" + "".join(f"{c:>16}" for c in CATEGORIES))
            for name, path in PAGES.items():
                scores, failed = median_audit(base + path, name)
                print(f"{name:<16}" + "".join(f"{scores[c]:>16.0f}" for c in CATEGORIES))
                low = [c for c in CATEGORIES if scores[c] < REQUIRED[c]]
                if low:
                    ok = False
                    for audit_id, title in failed.items():
                        print(f"    not passed: {audit_id}: {title}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
