"""schemathesis against /api/schema/ on a live server with the demo content (`make api-fuzz`).

A fresh SQLite database in a temporary folder, migrated and given the demo content, served by
`manage.py runserver` on a free 127.0.0.1 port; schemathesis then sends the requests the
schema allows (and some it does not) for at most API_FUZZ_SECONDS and fails on any 500, any
answer that breaks the schema, or a status or content type the schema does not list.
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

from tests.newsroom.servers import free_port  # noqa: E402

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)


def main():
    seconds = os.environ.get("API_FUZZ_SECONDS", "120")
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/fuzz.sqlite3",
            "MEDIA_ROOT": f"{folder}/media",
            "REDIS_URL": "",
            "DJANGO_DEBUG": "1",
            "API_THROTTLE_RATE": "100000/minute",
            "NEWSROOM_SITE_URL": f"http://127.0.0.1:{port}",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "LOG_LEVEL": "WARNING",
        }
        manage = [python, str(PROJECT / "manage.py")]
        subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True)
        subprocess.run([*manage, "load_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(f"{folder}/server.log", "w"),  # noqa: SIM115
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/healthz", server)
            run = subprocess.run(
                [
                    str(Path(python).parent / "schemathesis"),
                    "run",
                    f"http://127.0.0.1:{port}/api/schema/?format=json",
                    "--checks",
                    CHECKS,
                    "--max-time",
                    seconds,
                    "--workers",
                    "2",
                    "--request-timeout",
                    "20",
                    "--suppress-health-check",
                    "too_slow",
                ],
                env=env,
                timeout=int(seconds) * 3 + 120,
            )
        finally:
            server.terminate()
            server.wait(30)
        if run.returncode:
            log = Path(f"{folder}/server.log").read_text()
            print(log[-5000:], file=sys.stderr)
        return run.returncode


def wait_for(url, server, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not answer at {url}") from None
            time.sleep(0.3)


if __name__ == "__main__":
    sys.exit(main())
