"""Servers that tests start and stop themselves, on free loopback ports."""

import atexit
import contextlib
import http.client
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

PROJECT = Path(__file__).resolve().parents[2]


# Below the ports the system hands out itself (to bind(0) and outgoing connections, from 32768
# on Linux), so that those never take a port picked here before its server has bound it.
PORTS = range(20000, 32768)
_picker = random.Random()
_handed_out = set()


def free_port():
    """A loopback port nothing listens on, for a server about to start there.

    Each worker of a parallel run (pytest-xdist) picks only among ports of its own, those whose
    remainder by the number of workers is its number: no two workers pick the same port before
    either has bound it. Nor is a port handed out twice in one run.
    """
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    while True:
        port = _picker.randrange(PORTS.start + worker, PORTS.stop, workers)
        if port in _handed_out:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port


class RedisServer:
    """A redis-server of the test's own on a free loopback port, to stop, pause and restart."""

    def __init__(self, directory):
        self.directory = directory
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self):
        return redis.Redis(port=self.port, socket_timeout=2)

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client().ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.05)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(10)

    def pause(self):
        """Freeze the server: connections still open, nothing answers (a hung Redis)."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)


def production_env(tmp_path, **extra):
    """The environment of a production server: debug off, its own key, a SQLite file."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "NEWSROOM_"))
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,news.example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'newsroom.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    env.update(extra)
    return env


def _run_migrate(env):
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr


_migrated = {}


def migrate(env):
    """Make the database of `env` as `make serve` does before it starts the server.

    A SQLite database is migrated once per test process, into a file of its own, and copied
    from there: the schema does not depend on the other settings, and migrating takes seconds.
    """
    url = env["DATABASE_URL"]
    if not url.startswith("sqlite:///"):
        _run_migrate(env)
        return
    if "template" not in _migrated:
        folder = Path(tempfile.mkdtemp(prefix="newsroom-migrated-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        template = folder / "newsroom.sqlite3"
        _run_migrate({**env, "DATABASE_URL": f"sqlite:///{template}"})
        _migrated["template"] = template
    shutil.copyfile(_migrated["template"], url.removeprefix("sqlite:///"))


def get(port, path, timeout=10, headers=None):
    """(status, body, seconds) of one GET to a server on this machine."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.monotonic()
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body, time.monotonic() - started


class ProductionServer:
    """gunicorn -c newsroom/gunicorn.conf.py on a free loopback port, as `make serve` runs it."""

    def __init__(self, env, log, workers=2, errors=None):
        """Standard output goes to the file `log`, standard error to `errors` or there too."""
        self.port = free_port()
        self.log = log
        self.errors = errors
        self.env = {**env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        self.env["WEB_CONCURRENCY"] = str(workers)
        self.process = None

    def start(self, timeout=20):
        with self.log.open("w") as output, contextlib.ExitStack() as stack:
            errors = stack.enter_context(self.errors.open("w")) if self.errors else None
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--config", "newsroom/gunicorn.conf.py"],
                cwd=PROJECT,
                env=self.env,
                stdout=output,
                stderr=errors or subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while True:
            try:
                get(self.port, "/robots.txt", timeout=1)
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        f"the server did not start:\n{self.log.read_text()}"
                    ) from None
                time.sleep(0.1)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
