import io
import shutil
import signal
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from tests.newsroom.servers import RedisServer


@pytest.fixture
def redis_server(settings, tmp_path):
    """Our Redis cache backend pointed at a redis-server of this test's own."""
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is missing: install Debian's redis-server")
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1, "retry_after": 1},
        }
    }
    yield server
    server.stop()


class Receiver:
    """A webhook receiver on 127.0.0.1 that keeps what it was sent and answers `status`."""

    def __init__(self):
        self.requests = []
        self.status = 204
        self.answer_headers = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((self.path, dict(self.headers), body))
                self.send_response(receiver.status)
                for name, value in receiver.answer_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/hooks/newsroom"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 where nothing listens: a receiver that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def run_worker(db, django_capture_on_commit_callbacks, monkeypatch):
    """Run the job worker over the test database until no job is due, as production runs it.

    Jobs' own after-commit work runs too, as it would outside the test's transaction. A job
    that fails fails the test, with its traceback.
    """
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The worker drops database connections it finds inside a transaction, as the test's is;
    # Django's test client keeps requests from doing the same.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run():
        while True:
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                run_batch()
            if not callbacks:
                break
        failed = DBTaskResult.objects.failed()
        assert not failed.exists(), failed.first().traceback

    def run_batch():
        signals = [signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", signal.SIGTERM)]
        handlers = {sig: signal.getsignal(sig) for sig in signals}
        try:
            call_command(
                "db_worker",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
                "--queue-name=*",
                "--interval=0",
                stdout=io.StringIO(),
            )
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)

    return run
