"""Fixtures for the fault tests: a Redis server of the test's own, TCP proxies in
front of Redis and PostgreSQL that a test switches down or into a hang, and real Celery
workers on the test database with that Redis as their broker (``start_worker``).

``redis-server`` must be on the PATH (Debian's ``redis-server``; ``.ci/run`` installs it
when missing). Without it the Redis fault tests skip with the reason, unless
``FLEDGE_REQUIRE_FAULTS=1`` (set by CI), which turns the skip into a failure. The
PostgreSQL ones skip on SQLite whatever is set.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator

from django.db import connection

import pytest

from tests.faults.proxy import TcpProxy
from tests.faults.workers import Broker, Worker, worker_environment


def _unavailable(reason: str) -> None:
    if os.environ.get("FLEDGE_REQUIRE_FAULTS", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (FLEDGE_REQUIRE_FAULTS=1: fault tests may not skip)", False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


@pytest.fixture(scope="session")
def redis_server() -> Iterator[tuple[str, int]]:
    """A ``redis-server`` of the test session's own on a free port (nothing on disk);
    its (host, port)."""
    binary = shutil.which("redis-server")
    if binary is None:
        _unavailable("redis-server not found; install Debian's redis-server")
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="fledge-redis-")
    process = subprocess.Popen(  # noqa: S603 - redis-server from the PATH, fixed arguments
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_port(port, process)
        yield ("127.0.0.1", port)
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def redis_proxy(redis_server) -> Iterator[TcpProxy]:
    """A proxy in front of the test's Redis: ``redis://127.0.0.1:<redis_proxy.port>/0``."""
    proxy = TcpProxy(redis_server)
    try:
        yield proxy
    finally:
        proxy.close()


#: Short client timeouts and breaker interval, as production sets them from the
#: environment (FLEDGE_REDIS_*_TIMEOUT, FLEDGE_CACHE_RETRY_SECONDS) but quicker to recover.
REDIS_TIMEOUTS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
RETRY_SECONDS = 1.0


@pytest.fixture
def redis_cache(redis_proxy, settings) -> Iterator[TcpProxy]:
    """The site's cache is the fail-open Redis backend, reached through ``redis_proxy``
    (which it yields), starting empty and with its circuit breaker closed."""
    from django.core.cache import cache

    from base import redis_cache

    settings.CACHES = {
        "default": {
            "BACKEND": "base.redis_cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{redis_proxy.port}/0",
            "KEY_PREFIX": "faults",
            "OPTIONS": REDIS_TIMEOUTS,
        }
    }
    settings.FLEDGE_CACHE_RETRY_SECONDS = RETRY_SECONDS
    redis_cache._breakers.clear()
    cache.clear()
    yield redis_proxy
    redis_cache._breakers.clear()


def wait_for_breaker() -> None:
    """Sleep past the breaker's interval, so the next call tries Redis again."""
    time.sleep(RETRY_SECONDS + 0.1)


@pytest.fixture
def pg_proxy() -> Iterator[TcpProxy]:
    """A proxy in front of the PostgreSQL server the suite runs on (skips on SQLite)."""
    if connection.vendor != "postgresql":
        # A plain skip even with FLEDGE_REQUIRE_FAULTS: CI's SQLite phase cannot run
        # these, its PostgreSQL phase does.
        pytest.skip("needs PostgreSQL (CI runs this with DATABASE_URL set)")
    settings = connection.settings_dict
    proxy = TcpProxy((settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
    try:
        yield proxy
    finally:
        proxy.close()


# --- Real workers (tests/faults/workers.py) ------------------------------------------

#: Jobs in the worker tests: bounded at 10 s and handed to another worker 12 s after
#: their delivery when unacknowledged (production: 45 s and 50 s), so a test waits
#: seconds where production waits under a minute. Same settings, shorter values.
WORKER_JOB_SETTINGS = {
    "FLEDGE_TASK_TIME_LIMIT_SECONDS": "10",
    "FLEDGE_TASK_VISIBILITY_SECONDS": "12",
}
#: The Redis database of the test's Redis that the worker tests use as their broker.
BROKER_DB = 2


@pytest.fixture
def broker(request) -> Iterator[Broker]:
    """The test's Redis as a Celery broker, empty before and after the test.

    PostgreSQL only (a plain skip on SQLite, as for ``pg_proxy``): a worker subprocess
    must share the test database, so the test needs ``django_db(transaction=True)``.
    """
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a worker process shares the test database")
    host, port = request.getfixturevalue("redis_server")
    broker = Broker(f"redis://{host}:{port}/{BROKER_DB}")
    broker.redis.flushdb()
    try:
        yield broker
    finally:
        broker.redis.flushdb()
        broker.close()


@pytest.fixture
def start_worker(broker, tmp_path) -> Iterator[Callable[..., Worker]]:
    """``start_worker(**env)`` starts a real worker on the test database and ``broker``
    (env: extra variables, after :data:`WORKER_JOB_SETTINGS`) and returns it once it is
    ready. Every worker started is killed, process group and all, when the test ends."""
    workers: list[Worker] = []

    def start(*, concurrency: int = 1, beat: bool = False, **env: str) -> Worker:
        name = f"worker{len(workers) + 1}"
        worker = Worker(
            name=name,
            env=worker_environment(
                broker_url=broker.url, workdir=tmp_path, **{**WORKER_JOB_SETTINGS, **env}
            ),
            log=tmp_path / f"{name}.log",
            concurrency=concurrency,
        )
        workers.append(worker)
        return worker.start(beat=beat)

    try:
        yield start
    finally:
        for worker in workers:
            worker.kill()
            # Shown by pytest when the test failed.
            print(f"--- {worker.name} log (tail) ---\n{worker.log_tail()}")
