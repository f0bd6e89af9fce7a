"""Every API error as RFC 9457 problem+json (``base.errors.problem_json``)."""

import math

from django.http import Http404

from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from base.errors import FledgeError, problem_json


def _detail(data) -> str:
    if isinstance(data, dict):
        return " ".join(f"{key}: {_detail(value)}" for key, value in data.items())
    if isinstance(data, list):
        return " ".join(_detail(item) for item in data)
    return str(data)


def exception_handler(exc, context):
    """DRF's handler, answered as problem+json; a FledgeError keeps its status."""
    if isinstance(exc, FledgeError):
        return problem_json(status=exc.status, detail=exc.message)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    problem = problem_json(status=response.status_code, detail=_detail(response.data))
    for header in ("WWW-Authenticate", "Retry-After"):
        if header in response:
            problem[header] = response[header]
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        problem["Retry-After"] = str(max(1, math.ceil(exc.wait)))
    return problem
