"""The production start: newsroom/gunicorn.conf.py, and the settings a deployment runs with."""

import json
import socket
import subprocess
import sys
import threading
import time

import pytest

from tests.newsroom.servers import PROJECT, ProductionServer, get, migrate, production_env

pytestmark = pytest.mark.servers

SLOW_CLIENTS = 20


@pytest.fixture
def production_server(tmp_path):
    """gunicorn -c newsroom/gunicorn.conf.py with two workers on a free loopback port."""
    log = tmp_path / "server.log"
    env = production_env(tmp_path)
    migrate(env)
    server = ProductionServer(env, log, workers=2)
    try:
        server.start()
    except RuntimeError as error:
        pytest.fail(str(error))
    try:
        yield server.port, log
    finally:
        server.stop()


def send_headers_slowly(port, stop):
    """A client that sends its request headers one byte a second and never finishes."""
    with socket.create_connection(("127.0.0.1", port)) as client:
        for byte in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"x" * 100:
            if stop.wait(1):
                return
            try:
                client.send(bytes([byte]))
            except OSError:
                return


def test_a_reader_is_answered_at_once_while_twenty_clients_send_headers_slowly(
    production_server,
):
    port, log = production_server
    stop = threading.Event()
    clients = [
        threading.Thread(target=send_headers_slowly, args=(port, stop), daemon=True)
        for _ in range(SLOW_CLIENTS)
    ]
    for client in clients:
        client.start()
    try:
        time.sleep(1.5)  # every slow client is connected and has sent its first byte
        for path in ("/robots.txt", "/healthz"):
            status, body, took = get(port, path)
            assert status == 200, body
            # Stuck behind the slow clients it would wait for their 10 s timeouts, or for ever.
            assert took < 8, f"{path} took {took:.1f} s"
        assert json.loads(body) == {"database": "ok", "cache": "ok"}
    finally:
        stop.set()
        for client in clients:
            client.join(5)
    assert '"GET /healthz HTTP/1.1" 200' in log.read_text(), "no access log on stdout"


def test_the_servers_and_the_sites_logs_all_go_to_standard_output(tmp_path):
    output, errors = tmp_path / "stdout.log", tmp_path / "stderr.log"
    env = production_env(tmp_path)
    migrate(env)
    (tmp_path / "static").mkdir()
    server = ProductionServer(env, output, workers=1, errors=errors)
    try:
        server.start()
        status, _, _ = get(server.port, "/robots.txt", headers={"Host": "evil.example"})
    finally:
        server.stop()

    assert status == 400
    logged = output.read_text()
    assert "[INFO] Listening at: http://127.0.0.1:" in logged  # gunicorn's error log
    assert '"GET /robots.txt HTTP/1.1" 400' in logged  # its access log
    assert "Invalid HTTP_HOST header: 'evil.example'" in logged  # the site's, an error
    assert errors.read_text() == ""


def run_with_production_settings(tmp_path, code, **env):
    if not (tmp_path / "newsroom.sqlite3").exists():  # else migrated by an earlier call
        migrate(production_env(tmp_path, **env))
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=PROJECT,
        env=production_env(tmp_path, DJANGO_SETTINGS_MODULE="newsroom.settings", **env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


ASK = """
import json
from django.test import Client
client = Client(HTTP_HOST="news.example.com")
plain = client.get("/robots.txt")
secure = client.get("/robots.txt", HTTP_X_FORWARDED_PROTO="https")
health = client.get("/healthz")
print(json.dumps({
    "plain": [plain.status_code, plain.headers.get("Location")],
    "hsts": secure.headers.get("Strict-Transport-Security"),
    "health": health.status_code,
}))
"""


def test_behind_a_tls_proxy_readers_are_sent_to_https_and_told_to_stay(tmp_path):
    answers = run_with_production_settings(tmp_path, ASK, DJANGO_BEHIND_TLS_PROXY="1")
    assert answers["plain"] == [301, "https://news.example.com/robots.txt"]
    assert answers["hsts"] == "max-age=31536000; includeSubDomains"
    # The load balancer's health check may come over plain HTTP.
    assert answers["health"] == 200

    answers = run_with_production_settings(
        tmp_path, ASK, DJANGO_BEHIND_TLS_PROXY="1", DJANGO_HSTS_SECONDS="300"
    )
    assert answers["hsts"] == "max-age=300; includeSubDomains"
