"""A Redis cache that fails open: with Redis down or hung, pages are built without it.

Fledge uses Redis as an accelerator (page copies, routes, outlines, permission sets,
the session cache), never as the only copy of anything, so an unreachable Redis must
cost speed, not pages. Django's ``RedisCache`` has no such mode: every redis-py error
reaches the view and becomes a 500, and without socket timeouts a hung server holds
each call for redis-py's default 5 s. :class:`FailOpenRedisCache` is Django's backend
with each operation guarded:

- a redis-py error (``ConnectionError``, ``TimeoutError`` or any other ``RedisError``)
  answers what a cache miss answers: ``get`` its default, ``get_many`` ``{}``,
  ``add``/``delete``/``touch``/``has_key`` False (``add`` True for the keys under
  ``FLEDGE_CACHE_ADD_FAILS_OPEN``), ``set`` nothing, ``incr``
  :class:`CacheUnavailable` (a ``ValueError``, what Django raises for a missing key,
  so callers written for Django's contract start a new count; callers whose safety
  depends on the count catch it by name, see ``certificates.ratelimit``);
- the first error opens a circuit breaker, shared by every thread of the process: for
  ``FLEDGE_CACHE_RETRY_SECONDS`` the backend does not call Redis at all, then one call
  tries again. A hung Redis therefore costs one socket timeout per interval, not one
  per call, and an outage is logged as one warning when it starts and one line when
  it ends, not a traceback per request;
- when a call succeeds after an outage, :data:`cache_recovered` is sent once, so the
  cache's users can retire what they could not invalidate meanwhile (``base.cache``
  bumps its version namespaces: a publish during the outage could not); a read that
  ended the outage is read again after the receivers ran, so it sees their changes.

The connect and read timeouts come from ``OPTIONS`` (``socket_connect_timeout``,
``socket_timeout``), set in ``config.settings`` from the environment.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.dispatch import Signal

from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

#: Sent (with ``location``) by the call that first reaches Redis again after an outage.
cache_recovered = Signal()

#: Seconds the breaker skips Redis after an error when the setting is absent.
DEFAULT_RETRY_SECONDS = 5.0


class CacheUnavailable(ValueError):
    """``incr`` could not reach the cache: the count is unknown, not missing."""


def retry_seconds() -> float:
    return float(getattr(settings, "FLEDGE_CACHE_RETRY_SECONDS", DEFAULT_RETRY_SECONDS))


class CircuitBreaker:
    """Whether to call a server that failed a moment ago; one per server per process.

    Closed, every call goes through. The first failure opens it for
    :func:`retry_seconds`; after that one caller probes (the others keep skipping for
    another interval) and a success closes it. A success of a call that started before
    the breaker opened proves nothing and is ignored.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._open = False
        self._opened_at = 0.0
        self._retry_at = 0.0

    @property
    def is_open(self) -> bool:
        return self._open

    def allows(self) -> bool:
        if not self._open:  # the common case: no lock
            return True
        with self._lock:
            now = time.monotonic()
            if not self._open:
                return True
            if now < self._retry_at:
                return False
            self._retry_at = now + retry_seconds()  # this caller probes; others wait
            return True

    def failed(self, error: Exception) -> None:
        with self._lock:
            starting = not self._open
            now = time.monotonic()
            self._open = True
            self._retry_at = now + retry_seconds()
            if starting:
                self._opened_at = now
        if starting:
            logger.warning(
                "Cache %s unreachable (%s: %s): serving without it, trying again every %.1f s",
                self.name,
                type(error).__name__,
                error,
                retry_seconds(),
            )

    def succeeded(self, started: float) -> bool:
        """Close the breaker; True for the one call whose success ended an outage."""
        if not self._open:
            return False
        with self._lock:
            if not self._open or started < self._opened_at:
                return False
            self._open = False
            outage = time.monotonic() - self._opened_at
        logger.info("Cache %s reachable again after %.1f s", self.name, outage)
        return True


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str) -> CircuitBreaker:
    """The process's breaker for ``location``: Django makes a backend per thread, and
    one outage must open the breaker for all of them."""
    with _breakers_lock:
        return _breakers.setdefault(location, CircuitBreaker(location))


_RAISE = object()


class FailOpenRedisCache(RedisCache):
    """Django's ``RedisCache`` that degrades to a miss when Redis fails (module docs)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self.breaker = breaker_for(",".join(self._servers))

    def _call(
        self, operation: Callable[..., Any], *args: Any, fallback: Any, read: bool = False
    ) -> Any:
        if not self.breaker.allows():
            return self._fail(fallback)
        started = time.monotonic()
        try:
            result = operation(*args)
        except RedisError as error:
            self.breaker.failed(error)
            return self._fail(fallback)
        if self.breaker.succeeded(started):
            cache_recovered.send(sender=type(self), location=self.breaker.name)
            if read:
                # The receivers may have changed what was just read (a version number):
                # read again, so this first call already sees the cache as they left it.
                return self._call(operation, *args, fallback=fallback)
        return result

    @staticmethod
    def _fail(fallback: Any) -> Any:
        if fallback is _RAISE:
            raise CacheUnavailable("the cache is unreachable")
        return fallback

    def ping(self) -> None:
        """Ask Redis itself, past the breaker, and raise when it does not answer: for
        the health check, which must see what fail-open hides."""
        self._cache.get_client(write=True).ping()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # A key under FLEDGE_CACHE_ADD_FAILS_OPEN answers True ("added") while Redis is
        # away: for keys that are locks or "seen" marks of a guard that should pause,
        # not refuse everyone, during an outage (see the setting).
        prefixes = tuple(getattr(settings, "FLEDGE_CACHE_ADD_FAILS_OPEN", ()))
        fallback = bool(prefixes) and str(key).startswith(prefixes)
        return self._call(super().add, key, value, timeout, version, fallback=fallback)

    def get(self, key, default=None, version=None):
        return self._call(super().get, key, default, version, fallback=default, read=True)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, key, value, timeout, version, fallback=None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, key, timeout, version, fallback=False)

    def delete(self, key, version=None):
        return self._call(super().delete, key, version, fallback=False)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, keys, version, fallback={}, read=True)

    def has_key(self, key, version=None):
        return self._call(super().has_key, key, version, fallback=False, read=True)

    def incr(self, key, delta=1, version=None):
        return self._call(super().incr, key, delta, version, fallback=_RAISE)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, data, timeout, version, fallback=list(data))

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, keys, version, fallback=None)

    def clear(self):
        return self._call(super().clear, fallback=False)
