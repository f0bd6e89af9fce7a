"""The fail-open cache's circuit breaker, and what a failing Redis call answers.

Redis itself is not needed here: the backend points at a port nothing listens on. The
behaviour against a real Redis that goes down or hangs is in tests/faults."""

import logging
import threading

from django.test import override_settings

import pytest

from base import redis_cache
from base.redis_cache import CacheUnavailable, CircuitBreaker, FailOpenRedisCache

NOWHERE = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def fresh_breakers():
    redis_cache._breakers.clear()
    yield
    redis_cache._breakers.clear()


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(redis_cache.time, "monotonic", lambda: now[0])
    return now


def dead_cache() -> FailOpenRedisCache:
    return FailOpenRedisCache(NOWHERE, {"OPTIONS": {"socket_connect_timeout": 0.1}})


class TestCircuitBreaker:
    @override_settings(FLEDGE_CACHE_RETRY_SECONDS=5)
    def test_skips_the_server_for_the_interval_then_lets_one_call_probe(self, clock):
        breaker = CircuitBreaker("redis://x")
        breaker.failed(ConnectionError("gone"))
        assert not breaker.allows()
        clock[0] += 5.1
        assert breaker.allows()  # this one probes
        assert not breaker.allows()  # the others keep skipping meanwhile
        assert breaker.succeeded(started=clock[0])
        assert breaker.allows()

    def test_logs_one_warning_per_outage_and_one_line_when_it_ends(self, clock, caplog):
        caplog.set_level(logging.INFO, logger="base.redis_cache")
        breaker = CircuitBreaker("redis://x")
        for _ in range(50):
            breaker.failed(TimeoutError("no reply"))
        breaker.succeeded(started=clock[0])
        levels = [r.levelname for r in caplog.records]
        assert levels == ["WARNING", "INFO"]
        assert "unreachable (TimeoutError: no reply)" in caplog.records[0].getMessage()

    def test_a_call_that_started_before_the_outage_does_not_end_it(self, clock):
        breaker = CircuitBreaker("redis://x")
        started = clock[0]
        clock[0] += 0.2
        breaker.failed(ConnectionError("gone"))
        assert not breaker.succeeded(started=started)
        assert breaker.is_open

    def test_only_one_of_many_threads_ends_the_outage(self, clock):
        breaker = CircuitBreaker("redis://x")
        breaker.failed(ConnectionError("gone"))
        ended = []
        threads = [
            threading.Thread(target=lambda: ended.append(breaker.succeeded(clock[0])))
            for _ in range(20)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert ended.count(True) == 1

    def test_is_shared_by_every_backend_for_one_server(self):
        assert dead_cache().breaker is dead_cache().breaker


class TestFailOpen:
    def test_every_operation_answers_a_miss(self, caplog):
        cache = dead_cache()
        assert cache.get("k", "default") == "default"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.add("k", 1) is False
        assert cache.set("k", 1) is None
        assert cache.delete("k") is False
        assert cache.has_key("k") is False
        assert cache.touch("k") is False
        assert cache.set_many({"a": 1}) == ["a"]
        assert cache.get_or_set("k", lambda: "built") == "built"
        with pytest.raises(CacheUnavailable):
            cache.incr("k")
        assert issubclass(CacheUnavailable, ValueError)  # Django's "missing key" contract
        assert len([r for r in caplog.records if r.name == "base.redis_cache"]) == 1

    def test_ping_sees_through_it(self):
        from redis.exceptions import ConnectionError as RedisConnectionError

        with pytest.raises(RedisConnectionError):
            dead_cache().ping()


class TestRateLimitWithoutTheCache:
    @pytest.mark.django_db
    def test_falls_back_to_a_count_in_the_process(self, rf, monkeypatch, one_rate_window):
        from certificates import ratelimit

        monkeypatch.setattr(ratelimit, "cache", dead_cache())
        request = rf.get("/", REMOTE_ADDR="203.0.113.9")
        answers = [ratelimit.hit("test-fallback", request, limit=3) for _ in range(4)]
        assert answers == [True, True, True, False]
