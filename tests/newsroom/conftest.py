import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.newsroom.servers import RedisServer, free_port

# How long the cache leaves a failed Redis alone before one call tries it again, in the tests.
RETRY_AFTER = 0.3


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
            "OPTIONS": {
                "socket_connect_timeout": 0.1,
                "socket_timeout": 0.1,
                "retry_after": RETRY_AFTER,
            },
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
        # shutdown() waits for the serving loop to look up, every poll_interval (0.5 s unless told).
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
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
    return free_port()
