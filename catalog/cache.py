"""Caching of published content that every visitor sees the same way.

One number, the *content version*, is part of every key. Anything that can change what
a published page shows bumps it: publishing, unpublishing, moving or deleting a page,
and saving branding, subjects or images. Old entries are then never read again and
expire on their own, so nothing has to know which pages a change touched (the catalog
lists courses, the home page features them, every page shows the branding).
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache

VERSION_KEY = "fledge:content-version"


def content_version() -> int:
    """The current content version. It starts from the clock, so after a cache flush
    it never repeats a version whose entries could still be around."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns() // 1000, timeout=None)
        version = cache.get(VERSION_KEY, 0)
    return int(version)


def bump_content_version(**kwargs: object) -> None:
    """Signal receiver: published content changed, so every cached copy is stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there (evicted or flushed): start a new series
        cache.set(VERSION_KEY, time.time_ns() // 1000, timeout=None)


def content_key(*parts: object) -> str:
    """A cache key for content at the current version."""
    raw = ":".join(str(part) for part in parts)
    digest = hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()
    return f"fledge:content:{content_version()}:{digest}"


def cached_content(key_parts: tuple, timeout: int, build: Any) -> Any:
    """``build()``'s value, from the cache when the content has not changed since."""
    key = content_key(*key_parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def page_cache_seconds() -> int:
    return settings.FLEDGE_PAGE_CACHE_SECONDS
