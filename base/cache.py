"""Caching of what every request reads and almost nothing writes.

Each *namespace* has a version number that is part of every key in it. A change bumps
the version; old entries are then never read again and expire on their own, so nothing
has to know exactly which entries a change touched.

- ``content``: published pages and what they show. Publishing, unpublishing, moving or
  deleting a page, and saving branding, subjects, images, sites or view restrictions
  bump it (``catalog.receivers``, ``home.receivers``).
- ``permissions``: users' model permissions. Changes to groups, memberships and
  permissions bump it (``accounts.receivers``).
- ``sessions``: the cached copies of sessions (``accounts.sessions``); only an outage
  bumps it.

With Redis unreachable (``base.redis_cache``) every read is a miss, so pages are built
from the database and nothing stale is served; but a bump cannot be recorded either, and
entries written before the outage would come back with it (a page published meanwhile
would show its old copy for a day, a session signed out meanwhile would be signed in
again). So when a process reaches Redis again after an outage it bumps every
namespace (:func:`bump_all_versions`): the cache starts cold once, and nothing written
before the outage is read again. Every process that noticed the outage does it, so the
bump happens even when the process whose publish was lost has gone.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

T = TypeVar("T")

#: How long an entry nobody asks for lives; a version bump retires it sooner.
DEFAULT_TIMEOUT = 24 * 3600


def _version_key(namespace: str) -> str:
    return f"fledge:{namespace}-version"


VERSION_KEY = _version_key("content")
#: Every namespace; all are retired when Redis comes back after an outage.
NAMESPACES = ("content", "permissions", "sessions")


def content_version(namespace: str = "content") -> int:
    """The namespace's current version. It starts from the clock, so after a cache
    flush it never repeats a version whose entries could still be around."""
    key = _version_key(namespace)
    version = cache.get(key)
    if version is None:
        cache.add(key, time.time_ns() // 1000, timeout=None)
        version = cache.get(key, 0)
    return int(version)


def bump_version(namespace: str) -> None:
    """Retire every entry of the namespace."""
    key = _version_key(namespace)
    try:
        cache.incr(key)
    # Not there (evicted or flushed): start a new series. Unreachable (CacheUnavailable,
    # a ValueError): the set is skipped too, and the recovery bump makes up for it.
    except ValueError:
        cache.set(key, time.time_ns() // 1000, timeout=None)


def bump_content_version(**kwargs: object) -> None:
    """Signal receiver: published content changed, so every cached copy is stale."""
    bump_version("content")


def bump_all_versions(**kwargs: object) -> None:
    """Signal receiver (``cache_recovered``): the cache is back after an outage, during
    which no change could retire anything, so retire everything."""
    for namespace in NAMESPACES:
        bump_version(namespace)


def content_key(*parts: object, namespace: str = "content") -> str:
    """A cache key for ``parts`` at the namespace's current version."""
    raw = ":".join(str(part) for part in parts)
    digest = hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()
    return f"fledge:{namespace}:{content_version(namespace)}:{digest}"


def cached_content(
    key_parts: tuple,
    timeout: int,
    build: Callable[[], T],
    *,
    namespace: str = "content",
) -> T:
    """``build()``'s value, from the cache when nothing has changed since."""
    key = content_key(*key_parts, namespace=namespace)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def page_cache_seconds() -> int:
    return settings.FLEDGE_PAGE_CACHE_SECONDS
