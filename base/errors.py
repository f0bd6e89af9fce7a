"""One error family for what the rules refuse, and one place that answers it.

A service that refuses an operation raises a :class:`FledgeError` (or one of the
apps' subclasses: ``LearningError``, ``ComplianceError``, ``CertificateError``,
``InvalidSubmission``, ``CourseNotReady``). Its message is written for the person who
asked and is shown as is; its ``status`` is the HTTP status that answer carries (400
for a request the rules refuse, 403 for a person who may not, 409 for a state that
does not allow it yet).

:func:`error_response` turns one into a response: a page that says what was wrong and
where to carry on, or ``application/problem+json`` (RFC 9457) for API callers and
clients that prefer JSON. Views that know a better place to send the person back to
catch the error and call it with ``back_url``; an error no view caught reaches
:class:`FledgeErrorMiddleware`, which answers the same way instead of a 500.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

#: Problem titles by status, for the JSON answer and the page's heading.
_TITLES = {
    400: "We could not do that",
    403: "You may not do that",
    404: "Not found",
    409: "Not possible yet",
    429: "Too many requests",
}


class FledgeError(Exception):
    """An operation the rules do not allow. ``message`` is shown to the user as is;
    ``status`` is the HTTP status of the answer (400 unless the subclass or the
    raiser says otherwise)."""

    status: int = 400

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


def wants_json(request: HttpRequest) -> bool:
    """API paths, and callers whose Accept header prefers JSON to HTML."""
    if request.path.startswith("/api/"):
        return True
    preferred = request.get_preferred_type(["text/html", "application/json", PROBLEM_JSON])
    return preferred in {"application/json", PROBLEM_JSON}


def problem_json(*, status: int, detail: str, title: str = "") -> HttpResponse:
    """An RFC 9457 problem document."""
    body = {
        "type": "about:blank",
        "title": title or _TITLES.get(status, "Request refused"),
        "status": status,
        "detail": detail,
    }
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_JSON)


def problem_page(
    request: HttpRequest,
    message: str,
    *,
    status: int = 400,
    back_url: str = "",
    title: str = "",
    template: str = "base/problem.html",
) -> HttpResponse:
    """A page (or, for JSON callers, a problem document) that says what was wrong and
    how to carry on, with a 4xx status."""
    if wants_json(request):
        return problem_json(status=status, detail=message, title=title)
    return render(
        request,
        template,
        {"message": message, "back_url": back_url or "/", "title": title},
        status=status,
    )


def error_response(request: HttpRequest, error: FledgeError, *, back_url: str = "") -> HttpResponse:
    """The answer to a refused operation: its message, with its status."""
    return problem_page(request, error.message, status=error.status, back_url=back_url)


def _local(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


class FledgeErrorMiddleware:
    """Answer a :class:`FledgeError` that no view caught with :func:`error_response`
    (a 4xx with the message), never the 500 page. "Go back" leads to the page the
    request came from when that is on this site."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, FledgeError):
            return None
        logger.info("%s answered %s: %s", type(exception).__name__, exception.status, exception)
        referer = request.META.get("HTTP_REFERER", "")
        host = request.get_host()
        for prefix in (f"https://{host}", f"http://{host}"):
            if referer.startswith(prefix + "/"):
                referer = referer[len(prefix) :]
        return error_response(request, exception, back_url=referer if _local(referer) else "")
