"""/health/live answers without touching anything; /health/ checks the database, cache
and broker, and says 503 (with the failing check named) when one is down."""

import json

from django.conf import settings
from django.test import override_settings

import pytest

pytestmark = pytest.mark.django_db


def body(response) -> dict:
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


class TestLive:
    @pytest.mark.parametrize("path", ["/health/live", "/health/live/"])
    def test_answers_ok_without_a_single_query(self, client, path, django_assert_num_queries):
        with django_assert_num_queries(0):
            response = client.get(path)
        assert response.status_code == 200
        assert body(response) == {"status": "ok"}
        assert "no-cache" in response["Cache-Control"]

    def test_refuses_post(self, client):
        assert client.post("/health/live").status_code == 405

    @override_settings(SECURE_SSL_REDIRECT=True)
    def test_is_not_redirected_to_https_while_pages_are(self, client):
        assert client.get("/health/live").status_code == 200
        assert client.get("/health/").status_code == 200
        assert client.get("/accounts/login/").status_code == 301


class TestReady:
    def test_all_checks_pass(self, client):
        response = client.get("/health/")
        data = body(response)
        assert response.status_code == 200
        assert data["status"] == "ok"
        assert set(data["checks"]) == {"database", "cache", "broker"}
        assert all(check["ok"] for check in data["checks"].values())
        assert data["checks"]["database"]["detail"] in {"sqlite", "postgresql"}

    def test_says_nothing_secret(self, client):
        text = client.get("/health/").content.decode()
        assert settings.SECRET_KEY not in text
        for value in (settings.DATABASES["default"].get("PASSWORD"), settings.REDIS_URL):
            if value:
                assert value not in text
        assert settings.CELERY_BROKER_URL not in text

    def test_unreachable_cache_is_503(self, client):
        dead_cache = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",
            }
        }
        with override_settings(CACHES=dead_cache):
            response = client.get("/health/")
        data = body(response)
        assert response.status_code == 503
        assert data["status"] == "error"
        assert data["checks"]["cache"]["ok"] is False
        assert data["checks"]["database"]["ok"] is True
        assert "127.0.0.1:1" not in response.content.decode()

    def test_unreachable_broker_is_503(self, client):
        dead = {"CELERY_BROKER_URL": "redis://127.0.0.1:1/0", "CELERY_TASK_ALWAYS_EAGER": False}
        with override_settings(**dead):
            response = client.get("/health/")
        data = body(response)
        assert response.status_code == 503
        assert data["checks"]["broker"]["ok"] is False
        assert data["checks"]["broker"]["error"]
        assert data["checks"]["database"]["ok"] is True

    def test_database_failure_is_503(self, client, monkeypatch):
        from django.db import connection
        from django.db.utils import OperationalError

        def broken_cursor(*args, **kwargs):
            raise OperationalError("connection refused")

        monkeypatch.setattr(connection, "cursor", broken_cursor)
        response = client.get("/health/")
        monkeypatch.undo()
        data = body(response)
        assert response.status_code == 503
        assert data["checks"]["database"] == {
            "ok": False,
            "error": "OperationalError",
            "ms": data["checks"]["database"]["ms"],
        }
