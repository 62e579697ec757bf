import io
import os
import signal
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command


def pytest_collection_modifyitems(items):
    """Tests that start servers first: a parallel run would otherwise end waiting for them."""
    items.sort(key=lambda item: item.get_closest_marker("servers") is None)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """In a parallel run (pytest-xdist, `-n`), hand out the tests in the order collected, a
    file's neighbouring tests together.

    pytest-django orders the tests as Django does: those rolled back at their end first, then
    those that commit and empty the tables after them (taking the rows the migrations made, such
    as the roles' groups), then those without a database. Each worker keeps that order. A file's
    neighbouring tests stay on one worker, so its module-scoped servers start once.
    """
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Neighbours(LoadScopeScheduling):
        def schedule(self):
            if self.collection is None:
                self.runs = {}
                run, previous = 0, None
                for nodeid in next(iter(self.registered_collections.values())):
                    path = nodeid.split("::", 1)[0]
                    run, previous = run + (path != previous), path
                    self.runs[nodeid] = f"{run} {path}"
            super().schedule()

        def _split_scope(self, nodeid):
            return self.runs[nodeid]

    config.option.loadscopereorder = False  # xdist would otherwise hand out the largest first
    return Neighbours(config, log)


@pytest.fixture(scope="session", autouse=True)
def _a_redis_database_per_worker():
    """In a parallel run each worker caches in a Redis database of its own, REDIS_URL's plus the
    worker's number: cache.clear() empties a whole database, whatever the key prefix."""
    from django.conf import settings
    from django.test import override_settings

    cache = settings.CACHES["default"]
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    if worker == 0 or cache["BACKEND"] != "newsroom.cache.RedisCache":
        yield
        return
    address = urlsplit(cache["LOCATION"])
    database = int(address.path.strip("/") or 0) + worker
    location = address._replace(path=f"/{database}").geturl()
    with override_settings(CACHES={"default": {**cache, "LOCATION": location}}):
        yield


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Quick password hashing, uploads in a temporary folder, a cache emptied per test, and the
    site's address fixed."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The address the site prints, whatever HOST, PORT or NEWSROOM_SITE_URL the shell has.
    settings.NEWSROOM = {**settings.NEWSROOM, "SITE_URL": "http://127.0.0.1:8000"}
    settings.MEDIA_ROOT = tmp_path / "media"
    # Each process's copies of the page cache have tests of their own (test_copies.py) and run
    # in the production servers the tests start; here a test may write the cache unheard, as
    # another server or an operator would.
    settings.PAGE_COPIES = 0
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(db, django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reader():
    """A browser with no login, for tests that also use editor_client (which is `client`)."""
    from django.test import Client

    return Client()


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return f"newsroom: database {database}, cache {cache}"


@pytest.fixture
def user_in_role(db, django_user_model):
    """Make a staff user in one of the newsroom's groups: user_in_role("Editor", "desk")."""
    from django.contrib.auth.models import Group, Permission

    from newsroom import roles

    # Transactional tests empty the tables the data migration filled; put the groups back.
    roles.sync_groups(Group, Permission)

    def make(role, username=None):
        # A browser test's page may still be writing (an autosave on leaving) while the last
        # test's tables are emptied, so a login of that name can outlive it: take it over.
        user, _ = django_user_model.objects.update_or_create(
            username=username or role.lower().replace(" ", "-"),
            defaults={"is_staff": True, "is_superuser": False},
        )
        user.set_password("pw")
        user.save(update_fields=["password"])
        user.groups.set([Group.objects.get(name=role)])
        return user

    return make


@pytest.fixture(autouse=True)
def _no_reads_carried_over(monkeypatch):
    """Reads gathered in memory by one test must not be written during another."""
    import time

    from articles import popularity

    popularity._pending.clear()
    monkeypatch.setattr(popularity, "_pending_total", 0)
    monkeypatch.setattr(popularity, "_last_flush", time.monotonic())
    yield
    popularity._pending.clear()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium, for the browser tests and the standards checks."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


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
