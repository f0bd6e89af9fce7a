"""Health endpoints for load balancers and orchestrators.

``/health/live`` says the process answers and touches nothing else (the page cache
passes it by, so a hung Redis cannot slow it). ``/health/`` checks the database, the
cache and the Celery broker and answers 200 when all are fine, 503 when any is not.
Neither says anything about configuration or secrets: only the name of each check,
whether it passed, how long it took and, on failure, the error's type.

``/health/`` answers within :data:`DEADLINE_SECONDS` whatever is down or hung: the
checks run side by side, each client has its own short timeouts (Redis and the broker
a fraction of a second, PostgreSQL ``connect_timeout``), and a check still running at
the deadline is reported failed with ``"error": "Timeout"`` and left to finish on its
own thread. The database check runs on the request's own connection (shared with its
thread as Django's test server shares it), so it checks what pages use.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kombu import Connection

#: The longest /health/ takes, whatever hangs (load balancers often wait 1–2 s).
DEADLINE_SECONDS = 0.9


def _database(connection: BaseDatabaseWrapper) -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.dec_thread_sharing()
    return connection.vendor


def _cache(cache: BaseCache) -> str:
    ping = getattr(cache, "ping", None)
    if ping is not None:
        # The fail-open Redis cache hides errors from pages; ask Redis itself.
        ping()
        return cache.__class__.__name__
    key = f"fledge:health:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    try:
        if cache.get(key) != "ok":
            raise RuntimeError("cache did not return the value just stored")
    finally:
        cache.delete(key)
    return cache.__class__.__name__


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "tasks run in-process"
    with Connection(
        settings.CELERY_BROKER_URL,
        connect_timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    ) as conn:
        conn.ensure_connection(max_retries=0, timeout=DEADLINE_SECONDS)
        transport = conn.transport_cls
    return str(transport)


def _checks() -> dict[str, Callable[[], str]]:
    """Each check bound to what the request thread holds: threads get their own
    connections and cache clients otherwise, so a check would test a fresh one and
    leave it behind."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection.inc_thread_sharing()  # undone by the check, wherever it ends
    cache = caches["default"]
    return {
        "database": lambda: _database(connection),
        "cache": lambda: _cache(cache),
        "broker": _broker,
    }


def _run(check: Callable[[], str], result: dict) -> None:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as error:  # noqa: BLE001 - any failure makes the check fail
        outcome = {"ok": False, "error": type(error).__name__}
    else:
        outcome = {"ok": True, "detail": detail}
    outcome["ms"] = round((time.perf_counter() - started) * 1000, 1)
    result.update(outcome)


@never_cache
@require_safe
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def ready(request: HttpRequest) -> JsonResponse:
    started = time.perf_counter()
    deadline = time.monotonic() + DEADLINE_SECONDS
    results: dict[str, dict] = {}
    threads = []
    for name, check in _checks().items():
        results[name] = {}
        thread = threading.Thread(
            target=_run, args=(check, results[name]), name=f"health-{name}", daemon=True
        )
        thread.start()
        threads.append((name, thread))
    for name, thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
        if thread.is_alive():
            elapsed = round((time.perf_counter() - started) * 1000, 1)
            results[name] = {"ok": False, "error": "Timeout", "ms": elapsed}
    healthy = all(result.get("ok") for result in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results},
        status=200 if healthy else 503,
    )
