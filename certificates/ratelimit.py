"""A fixed-window rate limit on the Django cache, per client address.

Used by the public verification page, so nobody can try codes at speed. With the
default local-memory cache the count is per process; with Redis (``REDIS_URL``) it is
shared by every process.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


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


def hit(scope: str, request: HttpRequest, *, limit: int, window_seconds: int = 60) -> bool:
    """Count one request in ``scope`` from the request's address; False once more than
    ``limit`` were made in the current window of ``window_seconds``."""
    window = int(time.time() // window_seconds)
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    # add() only sets a missing key, so the first request of a window starts the count.
    cache.add(key, 0, timeout=window_seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add() and incr()
        cache.set(key, 1, timeout=window_seconds + 5)
        count = 1
    return count <= limit
