"""Whole-response caching of public pages for anonymous visitors."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from base.cache import content_key, page_cache_seconds

logger = logging.getLogger(__name__)

#: Set on the request by the ``before_serve_page`` hook when the page may be cached.
CACHEABLE_FLAG = "fledge_page_cacheable"
HEADER = "X-Page-Cache"
#: Paths that never are pages: the load balancer's probes must not wait on Redis.
EXEMPT_PREFIXES = ("/health/",)


class AnonymousPageCacheMiddleware:
    """Serve the home, catalog, course and module pages to signed-out visitors from the
    cache, keyed by host, path with query string, and content version.

    A request with a session or pending messages is not anonymous enough: it goes
    through. A response is stored only when the page said it may be (the
    ``before_serve_page`` hook in ``catalog.wagtail_hooks``), it is a plain 200 and it
    sets no cookies. Publishing anything changes the content version, so the next
    visitor gets the new page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(EXEMPT_PREFIXES):
            return self.get_response(request)
        try:
            key = self._key(request)
            cached = cache.get(key) if key else None
        except Exception:  # noqa: BLE001 - the cache is an accelerator, never a failure
            logger.warning("Page cache unavailable", exc_info=True)
            return self.get_response(request)
        if cached is not None:
            cached[HEADER] = "hit"
            return cached
        response = self.get_response(request)
        if key and self._storable(request, response):
            patch_vary_headers(response, ["Cookie"])
            response[HEADER] = "miss"
            cache.set(key, response, page_cache_seconds())
        return response

    @staticmethod
    def _key(request: HttpRequest) -> str | None:
        if request.method != "GET" or page_cache_seconds() <= 0:
            return None
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
            return None
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        return content_key("page", request.scheme, host, request.get_full_path())

    @staticmethod
    def _storable(request: HttpRequest, response: HttpResponse) -> bool:
        return (
            getattr(request, CACHEABLE_FLAG, False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        )
