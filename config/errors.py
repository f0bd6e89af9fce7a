"""The site's answers to a malformed request (HTTP 400) and to a database it cannot
reach (HTTP 503).

With PostgreSQL down a page must say "try again shortly", quickly, not show the generic
500: :func:`database_unavailable` is that answer, a static page (or
``application/problem+json`` for API callers) with ``Retry-After``, built from a
template rendered without the request, so no context processor, no session and no
query is involved. Two doors lead to it, because Django turns an exception into a
response where it is raised: :class:`DatabaseUnavailableMiddleware` catches the error
in views (the usual place), and :func:`server_error`, the 500 handler, catches it
anywhere else (a middleware reading the session or the page route). Nothing needs
restarting afterwards: Django drops the broken connection and the next request opens
a new one.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import bad_request as django_bad_request
from django.views.defaults import server_error as django_server_error

from base.errors import problem_json, wants_json

logger = logging.getLogger(__name__)

#: Errors that mean the database cannot be reached (or cannot answer) just now.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
_TITLE = "Service temporarily unavailable"
_DETAIL = "We cannot reach our database just now. Nothing was lost; please try again shortly."


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 handler with ``templates/400.html``. A request whose Host header is
    not allowed gets the page rendered without the request: the layout's links ask for
    the host, which would raise again and turn the 400 into a 500."""
    try:
        request.get_host()
    except DisallowedHost:
        return HttpResponseBadRequest(render_to_string("400.html"))
    return django_bad_request(request, exception)


def _close_broken_connections() -> None:
    """Close every connection that failed, so the next query connects afresh. One in a
    transaction is left to the transaction's owner (a test's, in the suite)."""
    for connection in connections.all(initialized_only=True):
        if connection.errors_occurred and not connection.in_atomic_block:
            with contextlib.suppress(*DATABASE_UNAVAILABLE):  # gone already: forgotten
                connection.close()


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 for a database outage: static, never cached, with ``Retry-After``."""
    _close_broken_connections()
    if wants_json(request):
        response = problem_json(status=503, title=_TITLE, detail=_DETAIL)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(settings.FLEDGE_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 handler, except that a database outage gets the 503."""
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    return django_server_error(request)


class DatabaseUnavailableMiddleware:
    """Answer the 503 when a view fails to reach the database, with one warning line
    instead of the 500 handler's traceback."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_UNAVAILABLE):
            return None
        logger.warning(
            "Database unavailable (%s: %s): answered 503",
            type(exception).__name__,
            str(exception).strip().splitlines()[0] if str(exception).strip() else "",
        )
        return database_unavailable(request)
