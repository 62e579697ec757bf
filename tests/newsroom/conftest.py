import shutil

import pytest

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
