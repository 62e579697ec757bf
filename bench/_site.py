"""Shared set-up for the benchmarks: a throw-away database and the site under gunicorn.

Not a benchmark itself; the scripts beside it import it.
"""

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SAMPLE = ROOT / "samples" / "kyiv-independent-2024-01-21.txt"
SAMPLE_PATH = "/news/media-putin-preparing-to-visit-north-korea/"
GUNICORN = [PYTHON, "-m", "gunicorn", "--workers", "2", "--log-level", "warning"]


def production_env(workdir, port):
    """Settings for the site in production mode, with its data in `workdir`."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "benchmark-only-secret-key-not-for-production-use-0123456789",
        "DJANGO_SECURE_COOKIES": "0",
        "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
        "MEDIA_ROOT": str(workdir / "media"),
        "STATIC_ROOT": str(workdir / "static"),
        "NEWSROOM_SITE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "NEWSROOM_SERVE_MEDIA": "1",
    }


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(workdir, port):
    """Collect static files, migrate, load the demo and the imported sample."""
    return prepare_with(production_env(workdir, port))


def prepare_with(env):
    """prepare() for a site whose environment the caller has made (another database, say)."""
    manage(env, "collectstatic", "--no-input", "-v0")
    manage(env, "migrate", "--no-input", "-v0")
    setup = (
        "from newsroom import demo; demo.load(); "
        "from django.core.management import call_command; "
        f"call_command('import_text', {str(SAMPLE)!r}, verbosity=0)"
    )
    manage(env, "shell", "-c", setup)
    return env


def wait_until_up(url, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {seconds} s")


@contextlib.contextmanager
def gunicorn(app, port, env, cwd=ROOT, probe="/"):
    """Serve a WSGI app on 127.0.0.1:`port` for the duration of the block."""
    process = subprocess.Popen([*GUNICORN, "--bind", f"127.0.0.1:{port}", app], cwd=cwd, env=env)
    try:
        wait_until_up(f"http://127.0.0.1:{port}{probe}")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)


@contextlib.contextmanager
def workdir():
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as path:
        yield Path(path)
