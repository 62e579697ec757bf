"""Settings read from the environment the way `make run` and operators set it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
PRINT_SITE_URL = "from django.conf import settings; print(settings.NEWSROOM['SITE_URL'])"


def site_url_under(**env):
    return settings_under(PRINT_SITE_URL, **env)


def settings_under(code, **env):
    """Run `code` after django.setup() with the settings `env` makes (and no MEDIA_ ones)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"HOST", "PORT", "NEWSROOM_SITE_URL"} and not key.startswith("MEDIA_")
    }
    environment.update(DJANGO_SETTINGS_MODULE="newsroom.settings", DJANGO_DEBUG="1", **env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_site_url_defaults_to_the_port_make_run_serves():
    result = site_url_under(PORT="8301")
    assert result.stdout.strip() == "http://127.0.0.1:8301", result.stderr


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("localhost", "http://localhost:8000"),
        ("0.0.0.0", "http://127.0.0.1:8000"),
        ("::1", "http://[::1]:8000"),
    ],
)
def test_site_url_defaults_to_the_host_make_run_serves(host, expected):
    assert site_url_under(HOST=host).stdout.strip() == expected


def test_site_url_set_by_the_operator_wins_over_the_served_port():
    result = site_url_under(PORT="8301", NEWSROOM_SITE_URL="https://news.example.org/")
    assert result.stdout.strip() == "https://news.example.org"


@pytest.mark.parametrize("port", ["eighty", "80\u00b3"])  # "³": isdigit() takes it, int() not
def test_a_port_that_is_not_a_number_is_refused_with_its_name(port):
    result = site_url_under(PORT=port)
    assert result.returncode != 0
    assert f"PORT must be a port number from 1 to 65535; got {port!r}" in result.stderr


def test_a_whole_number_setting_with_a_superscript_digit_is_refused_with_its_name():
    result = site_url_under(LOGIN_FAILURE_LIMIT="1\u00b3")
    assert result.returncode != 0
    assert "LOGIN_FAILURE_LIMIT must be a whole number of attempts, at least 1" in result.stderr


def test_a_log_stream_other_than_stdout_or_stderr_is_refused_with_its_name():
    result = site_url_under(LOG_STREAM="syslog")
    assert result.returncode != 0
    assert "LOG_STREAM must be stdout or stderr; got 'syslog'" in result.stderr


def test_make_run_hands_its_host_and_port_to_the_settings():
    result = subprocess.run(
        ["make", "-n", "run", "HOST=localhost", "PORT=8301"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=True,
    )
    commands = result.stdout.replace("\\\n", " ").splitlines()
    lines = [line for line in commands if "manage.py" in line or "honcho" in line]
    serve = next(line for line in lines if "Procfile.dev" in line)
    assert serve.startswith("HOST=localhost PORT=8301 ")
    procfile = (PROJECT / "Procfile.dev").read_text()
    assert 'runserver "$NEWSROOM_ADDR"' in procfile
    assert "NEWSROOM_ADDR=localhost:8301" in serve
    assert "http://localhost:8301" in serve
    demo = next(line for line in lines if "load_demo" in line)
    assert demo.startswith("HOST=localhost PORT=8301 ")


PRINT_MEDIA_STORAGE = (
    "from django.core.files.storage import storages; s = storages['default']; "
    "print(type(s).__name__, s.base_url)"
)


def test_uploads_stay_on_this_machines_disk_by_default():
    result = settings_under(PRINT_MEDIA_STORAGE)
    assert result.stdout.split() == ["FileSystemStorage", "/media/"], result.stderr


def test_the_media_storage_and_its_options_are_read_from_the_environment():
    result = settings_under(
        PRINT_MEDIA_STORAGE,
        MEDIA_STORAGE="django.core.files.storage.InMemoryStorage",
        MEDIA_STORAGE_OPTIONS='{"base_url": "https://media.example.org/"}',
    )
    assert result.stdout.split() == ["InMemoryStorage", "https://media.example.org/"], result.stderr


@pytest.mark.parametrize("options", ['["news-media"]', "bucket_name=news-media", '{"a": 1'])
def test_media_storage_options_that_are_not_a_json_object_are_refused_with_their_name(options):
    result = settings_under(PRINT_MEDIA_STORAGE, MEDIA_STORAGE_OPTIONS=options)
    assert result.returncode != 0
    assert "MEDIA_STORAGE_OPTIONS must be a JSON object such as" in result.stderr
    assert f"got {options!r}" in result.stderr


@pytest.mark.parametrize(
    "backend", ["newsroom.no_such_module.Storage", "django.core.files.storage.FileSystemStorag"]
)
def test_a_media_storage_that_cannot_be_imported_stops_the_site_at_start_up(backend):
    result = settings_under("print('started')", MEDIA_STORAGE=backend)
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert f"MEDIA_STORAGE names {backend!r}, which cannot be imported" in result.stderr


PRINT_DATABASE_OPTIONS = (
    "from django.conf import settings; print(settings.DATABASES['default']['OPTIONS'])"
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "{'options': '-c jit=off'}"),
        ("?options=-c%20jit%3Don", "{'options': '-c jit=off -c jit=on'}"),  # the last wins
    ],
)
def test_postgresql_runs_without_jit_unless_the_operator_asks(query, expected):
    result = settings_under(PRINT_DATABASE_OPTIONS, DATABASE_URL=f"postgres://db/news{query}")
    assert result.stdout.strip() == expected, result.stderr


@pytest.mark.django_db
def test_the_database_the_suite_runs_on_has_jit_off_if_it_is_postgresql():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
        else:
            assert "options" not in connection.settings_dict["OPTIONS"]
