"""/healthz tells a load balancer whether this server reaches its database and cache."""

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_healthz_says_ok_when_the_database_and_cache_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-store" in response.headers["Cache-Control"]


def test_healthz_answers_503_naming_the_cache_when_redis_is_down(client, redis_server):
    assert client.get("/healthz").json() == {"database": "ok", "cache": "ok"}
    redis_server.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "database": "ok",
        "cache": "not answering",
        "error": "Not answering: cache.",
    }
    assert "no-store" in response.headers["Cache-Control"]


def test_healthz_answers_503_naming_the_database_when_it_is_down(client, monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "not answering"
    assert response.json()["error"] == "Not answering: database."


def test_healthz_is_cheap(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        assert client.get("/healthz").status_code == 200
