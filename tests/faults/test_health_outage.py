"""The health endpoints with Redis down or hung: liveness never waits on it, readiness
answers within a second and names what failed."""

from __future__ import annotations

import json
import time

import pytest

from tests.faults.conftest import REDIS_TIMEOUTS
from tests.faults.proxy import DOWN, HANG

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_through_proxy(redis_cache, settings):
    """The Celery broker on the same proxied Redis, as in production."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{redis_cache.port}/1"
    settings.CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_TIMEOUTS["socket_connect_timeout"]
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_TIMEOUTS
    return redis_cache


def timed_get(client, path):
    started = time.perf_counter()
    response = client.get(path)
    return response, time.perf_counter() - started


def test_ready_passes_through_the_proxy_when_all_is_up(client, broker_through_proxy):
    response = client.get("/health/")
    checks = json.loads(response.content)["checks"]
    assert response.status_code == 200, checks
    assert checks["cache"]["detail"] == "FailOpenRedisCache"


@pytest.mark.parametrize("state", [DOWN, HANG])
def test_live_is_fast_whatever_redis_does(state, client, redis_cache):
    with redis_cache.outage(state):
        for _ in range(3):
            response, seconds = timed_get(client, "/health/live")
            assert response.status_code == 200
            # Far below the 0.5 s read timeout: liveness never asked Redis.
            assert seconds < 0.2


@pytest.mark.parametrize("state", [DOWN, HANG])
def test_ready_answers_within_a_second_naming_cache_and_broker(state, client, broker_through_proxy):
    with broker_through_proxy.outage(state):
        response, seconds = timed_get(client, "/health/")
    data = json.loads(response.content)
    assert seconds < 1.0
    assert response.status_code == 503
    assert data["status"] == "error"
    assert data["checks"]["cache"]["ok"] is False
    assert data["checks"]["broker"]["ok"] is False
    assert data["checks"]["database"]["ok"] is True
    if state == HANG:
        assert data["checks"]["cache"]["error"] in {"TimeoutError", "Timeout"}
