"""Project-wide middleware: a request id and one log line per request; NUL bytes
refused at the door."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render

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


# --- NUL bytes ------------------------------------------------------------------------

NUL = "\x00"
#: The answer to a request that carries a NUL byte.
NUL_MESSAGE = "The request contained a character that cannot be stored (a NUL byte)."
#: Query parameters that are search terms: on a GET a NUL is dropped from them instead,
#: so a pasted search still finds results (searches store nothing).
SEARCH_PARAMETERS = frozenset({"q"})
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _query_strings(data: QueryDict) -> Iterator[str]:
    for key, values in data.lists():
        yield key
        yield from values


def _json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _json_has_nul(body: bytes) -> bool:
    """Whether a JSON body holds a NUL: raw, or escaped as ``\\u0000`` in a string."""
    if b"\x00" in body:
        return True
    if b"\\u0000" not in body:
        return False
    try:
        document = json.loads(body)
    except ValueError:
        return False  # not JSON after all: the view answers that itself
    return any(NUL in text for text in _json_strings(document))


def _without_nul_in_search(query: QueryDict) -> QueryDict:
    cleaned = query.copy()
    for key in SEARCH_PARAMETERS & set(cleaned):
        cleaned.setlist(key, [value.replace(NUL, "") for value in cleaned.getlist(key)])
    cleaned._mutable = False
    return cleaned


class RefuseNulBytesMiddleware:
    """Answer 400, before any view runs, when a query string, a form field (name or
    value) or a JSON body carries a NUL byte: PostgreSQL ``text`` and ``jsonb`` cannot
    hold one, so storing it is a 500 there (and SQLite quietly keeps it).

    One rule here rather than a validator on each form: Django's own guard,
    ``ProhibitNullCharactersValidator``, sits only on form ``CharField`` fields, and much
    input never passes one: quiz answers read straight from ``request.POST``, filters
    and ids read from query strings, JSON bodies (Wagtail's admin, any API). Only field
    names and values (``request.POST`` holds no file contents, so uploads are never
    scanned) and JSON bodies are read; search terms on a GET are forgiven
    (:data:`SEARCH_PARAMETERS`). Paths are left to the views, which answer an id or
    code they do not know with their own 404.

    Runs as ``process_view``, after the CSRF and authentication middleware, so a forged
    request still gets its 403 and the 400 page shows who is signed in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if request.method in _SAFE_METHODS and any(
            NUL in value for key in SEARCH_PARAMETERS for value in request.GET.getlist(key)
        ):
            request.GET = _without_nul_in_search(request.GET)
        if self._has_nul(request):
            return self.refuse(request)
        return None

    @staticmethod
    def _has_nul(request: HttpRequest) -> bool:
        if any(NUL in text for text in _query_strings(request.GET)):
            return True
        if request.method in _SAFE_METHODS:
            return False
        if request.content_type.endswith("json"):
            return _json_has_nul(request.body)
        return any(NUL in text for text in _query_strings(request.POST))

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        """The 400: JSON for a JSON request, else the site's 400 page."""
        if request.content_type.endswith("json"):
            return JsonResponse({"error": NUL_MESSAGE}, status=400)
        return render(request, "400.html", {"message": NUL_MESSAGE}, status=400)
