"""A fixed-window rate limit on the Django cache, per client address.

Used by the public verification page, so nobody can try codes at speed. With the
default local-memory cache the count is per process; with Redis (``REDIS_URL``) it is
shared by every process.

With Redis unreachable the shared count is unknown. Allowing every lookup would switch
the limit off exactly when someone can make Redis slow; refusing every lookup would
take a public page down with the cache. The limit falls back to a count in the
process's own memory instead: still a limit (at most ``limit`` per process, per
address, per window), and the page keeps answering the employer who checks one
certificate.
"""

import time

from django.conf import settings
from django.core.cache import BaseCache, cache
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest

from base.redis_cache import CacheUnavailable

#: Counts kept while the shared cache is unreachable (per process; thread-safe).
_fallback = LocMemCache("fledge-ratelimit-fallback", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


def client_address(request: HttpRequest) -> str:
    """The address to count a request against.

    Behind the reverse proxy (``DJANGO_BEHIND_PROXY=1``, which sets
    ``SECURE_PROXY_SSL_HEADER``) that is the last address in ``X-Forwarded-For``, the one
    our proxy added; earlier entries come from the client and could be forged. Otherwise
    it is the connection's address.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded:
        return forwarded.split(",")[-1].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")[:64] or "unknown"


def _count(store: BaseCache, key: str, timeout: int) -> int:
    # add() only sets a missing key, so the first request of a window starts the count.
    store.add(key, 0, timeout=timeout)
    try:
        return store.incr(key)
    except CacheUnavailable:
        raise
    except ValueError:  # evicted between add() and incr()
        store.set(key, 1, timeout=timeout)
        return 1


def hit(scope: str, request: HttpRequest, *, limit: int, window_seconds: int = 60) -> bool:
    """Count one request in ``scope`` from the request's address; False once more than
    ``limit`` were made in the current window of ``window_seconds``."""
    window = int(time.time() // window_seconds)
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    try:
        count = _count(cache, key, window_seconds + 5)
    except CacheUnavailable:
        count = _count(_fallback, key, window_seconds + 5)
    return count <= limit
