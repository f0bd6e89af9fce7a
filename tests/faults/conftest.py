"""Fixtures for the fault tests: a Redis server of the test's own, and TCP proxies in
front of Redis and PostgreSQL that a test switches down or into a hang.

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
from collections.abc import Iterator

from django.db import connection

import pytest

from tests.faults.proxy import TcpProxy


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

    from home import redis_cache

    settings.CACHES = {
        "default": {
            "BACKEND": "home.redis_cache.FailOpenRedisCache",
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
