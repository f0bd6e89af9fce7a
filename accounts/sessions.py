"""Sessions in the database, read through the cache, that outlive a cache outage.

Django's ``cached_db`` engine already keeps the database as the record and the cache as
a copy; with the fail-open cache (``base.redis_cache``) an unreachable Redis makes
every read a miss, so sessions load from the database and signed-in people stay signed
in. What the engine cannot do is notice a copy gone stale meanwhile: a sign-out, a
password change or a new sign-in during the outage changes only the database, and the
old copy would be read again once Redis is back. The copies are therefore keyed by the
``sessions`` version, which ``base.cache`` bumps when Redis comes back after an outage.
"""

from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore

from base.cache import content_version


class SessionStore(CachedDBStore):
    """``cached_db`` with the ``sessions`` version in every cache key."""

    @property
    def cache_key_prefix(self) -> str:
        # One version per request's store: it only changes when Redis comes back.
        if not hasattr(self, "_sessions_version"):
            self._sessions_version = content_version("sessions")
        return f"{KEY_PREFIX}:{self._sessions_version}:"
