import pytest


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    """Quick password hashing, uploads in a temporary folder, a cache emptied per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
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


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return f"newsroom: database {database}, cache {cache}"


@pytest.fixture(autouse=True)
def _no_reads_carried_over(monkeypatch):
    """Reads gathered in memory by one test must not be written during another."""
    import time

    from articles import popularity

    popularity._pending.clear()
    monkeypatch.setattr(popularity, "_last_flush", time.monotonic())
    yield
    popularity._pending.clear()
