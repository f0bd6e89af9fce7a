"""Project-wide middleware: a request id and one log line per request."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .logs import request_id_var, user_id_var

logger = logging.getLogger("fledge.request")

#: An incoming X-Request-ID (from nginx or a load balancer) is kept when it looks like one.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
#: URL keyword arguments whose values are secrets (calendar tokens, verification codes):
#: they are masked in the logged path.
SECRET_KWARGS = frozenset({"token", "code", "uidb64"})
#: Paths polled by load balancers: logged only when they fail.
_QUIET_PREFIXES = ("/health/",)


def _logged_path(request: HttpRequest) -> str:
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if name in SECRET_KWARGS and isinstance(value, str) and value:
                path = path.replace(value, "…")
    return path


class RequestLogMiddleware:
    """Give each request an id (``X-Request-ID`` on the response) and log its method,
    path, status, duration and user id as one line; slow requests as warnings."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        id_token = request_id_var.set(request_id)
        user_token = user_id_var.set(None)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                user_id_var.set(user.pk)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response["X-Request-ID"] = request_id
            self._log(request, response.status_code, duration_ms)
            return response
        finally:
            user_id_var.reset(user_token)
            request_id_var.reset(id_token)

    def _log(self, request: HttpRequest, status: int, duration_ms: float) -> None:
        slow = duration_ms >= settings.FLEDGE_SLOW_REQUEST_MS
        if status < 400 and not slow and request.path.startswith(_QUIET_PREFIXES):
            return
        if status >= 500:
            level = logging.ERROR
        elif slow:
            level = logging.WARNING
        else:
            level = logging.INFO
        path = _logged_path(request)
        logger.log(
            level,
            "%s %s %s %.1fms%s",
            request.method,
            path,
            status,
            duration_ms,
            " (slow)" if slow else "",
            extra={
                "method": request.method,
                "path": path,
                "status": status,
                "duration_ms": duration_ms,
            },
        )
