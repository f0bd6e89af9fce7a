"""Logging: one JSON object per line in production, readable lines in development.

Every record carries the current request id (or Celery task id) and the signed-in
user's id, taken from context variables that ``config.middleware.RequestLogMiddleware``
and the Celery signals in ``config.celery_app`` set. Only ids are logged about people:
never emails or names.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
user_id_var: ContextVar[int | None] = ContextVar("user_id", default=None)

#: Extra attributes a record may carry (``logger.info(..., extra={...})``) that the JSON
#: formatter copies into the line.
EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "task", "task_id")

_RESERVED = set(vars(logging.makeLogRecord({})))


class ContextFilter(logging.Filter):
    """Stamp every record with the request (or task) id and the user id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        if not hasattr(record, "user_id"):
            record.user_id = user_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id", "user_id", ...}`` per line."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "user_id": getattr(record, "user_id", None),
        }
        for field in EXTRA_FIELDS:
            if field in vars(record) and field not in _RESERVED:
                line[field] = getattr(record, field)
        if record.exc_info:
            line["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def logging_config(*, json_lines: bool, level: str, quiet_task_trace: bool) -> dict:
    """The ``LOGGING`` dict: every record to stdout through the context filter."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "config.logs.ContextFilter"}},
        "formatters": {
            "json": {"()": "config.logs.JsonFormatter"},
            "text": {
                "format": "%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s",
                "datefmt": "%H:%M:%S",
            },
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "filters": ["context"],
                "formatter": "json" if json_lines else "text",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # RequestLogMiddleware logs every request once, with its duration; Django's
            # own 4xx/5xx lines would repeat it (5xx tracebacks still come through it).
            "django.request": {"level": "ERROR"},
            # Wagtail's background tasks log every run at INFO; keep the console readable.
            "django_tasks": {"level": "WARNING"},
            # Failed sign-ins are warnings (usernames masked); the rest is chatter.
            "axes": {"level": "WARNING"},
            # Eager tasks would log a "succeeded" line each, in the middle of page requests.
            "celery.app.trace": {"level": "WARNING" if quiet_task_trace else "INFO"},
            # WeasyPrint logs each step of every certificate PDF at INFO.
            "weasyprint.progress": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }
