"""Work that runs once the current transaction has committed.

:func:`after_commit` is the one way Fledge registers an on-commit callback. Callbacks
are *robust*: one that raises is logged with its traceback (by Django, as
``Error calling <name> in on_commit() (<error>)``) and the request, task or command
that committed carries on, so what it committed stays committed and the page is not a
500. Each caller's work is done again later by something else: a certificate PDF is
rendered on download or by ``manage.py render_certificates --stale``; queued reminders
and assignment syncs by the daily job.

Django names the failing callback by its ``__qualname__``, which a
``functools.partial`` lacks (the log line then becomes an ``AttributeError`` that
hides the real error and, outside tests, escapes into the request). The helper passes
a named function instead, whose name says what was called.

**After the response.** Without a broker, Celery runs a task's ``delay`` in-process
(``CELERY_TASK_ALWAYS_EAGER``), so a task handed over on commit during a request would
run before the response: a course completion's certificate PDF and emails made the
final quiz submit take seconds. One rule moves that work out of the learner's way:
*during an HTTP request, a task hand-over (``delay`` or ``apply_async``) whose task
runs in this process is queued at commit and called after the response is sent*
(Django's ``request_finished`` signal, which the WSGI server fires when it closes the
response, after the body went out). Everything else, and everything outside a request
(commands, workers, the shell), runs on commit as before; with a broker, ``delay`` only
publishes, on commit. Only committed work reaches the queue (Django drops the on-commit
callbacks of a rolled-back transaction or savepoint); each queued call runs once, and
one that raises is logged (``Error calling <name> after the response``) without
stopping the others. The queue is a context variable, so each thread (runserver and
gunicorn's gthread workers) and each ASGI request has its own, emptied when a request
starts and when it finishes.

Limits: the deferred work still runs in the web process, holding the worker thread
after the response, and a crash between the response and the work loses it until the
repairs above redo it. Under ASGI the rule does not take effect: Django's ASGI handler
sends ``request_started`` through ``asyncio.gather``, whose task keeps the queue to
itself, so the request sees none and its tasks run on commit, before the response, as
they did before (nothing is lost or run twice; checked against Django 5.2's
``ASGIHandler``). Fledge is served over WSGI (gunicorn, ``deploy/``).
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable
from contextvars import ContextVar

from django.db import transaction

from celery import Task

logger = logging.getLogger(__name__)

#: The current request's calls to make after its response; ``None`` outside a request.
_after_response: ContextVar[list[Callable[[], None]] | None] = ContextVar(
    "fledge_after_response", default=None
)
#: The method names by which a Celery task is handed over.
_HAND_OVERS = frozenset({"delay", "apply_async"})


def callable_name(func: Callable[..., object]) -> str:
    """A dotted name for a callable, for log lines.

    >>> callable_name(callable_name)
    'base.transactions.callable_name'
    >>> callable_name(functools.partial(callable_name))
    'partial(base.transactions.callable_name)'

    A bound method is named after its object's class, so a Celery task's ``delay``
    reads ``certificates.tasks.render_certificate.delay``.
    """
    if isinstance(func, functools.partial):
        return f"partial({callable_name(func.func)})"
    owner = getattr(func, "__self__", None)
    if owner is not None and not inspect.ismodule(owner):  # a bound method
        owner_type = owner if isinstance(owner, type) else type(owner)
        return f"{owner_type.__module__}.{owner_type.__qualname__}.{func.__name__}"
    module = getattr(func, "__module__", None)
    qualname = getattr(func, "__qualname__", None)
    if module and qualname:
        return f"{module}.{qualname}"
    return f"{type(func).__module__}.{type(func).__qualname__}"


def _argument_text(args: tuple[object, ...], kwargs: dict[str, object]) -> str:
    """Arguments for a log line: ids (integers) as they are, anything else elided, so
    no name, email address or message body reaches the logs."""

    def shown(value: object) -> str:
        return repr(value) if isinstance(value, int) and not isinstance(value, bool) else "…"

    parts = [shown(value) for value in args]
    parts += [f"{key}={shown(value)}" for key, value in kwargs.items()]
    return ", ".join(parts)


def runs_task_in_process(func: Callable[..., object]) -> bool:
    """Whether ``func`` hands work to a Celery task that will run right here, in this
    process (``delay``/``apply_async`` with ``task_always_eager``), rather than
    publish it to a broker. Read from the task's own app, which makes that choice."""
    task = getattr(func, "__self__", None)
    return (
        isinstance(task, Task)
        and getattr(func, "__name__", "") in _HAND_OVERS
        and bool(task.app.conf.task_always_eager)
    )


def after_commit(func: Callable[..., object], /, *args: object, **kwargs: object) -> None:
    """Call ``func(*args, **kwargs)`` once the current transaction commits (at once
    outside a transaction); a failure is logged, never raised. During a request, a
    task that runs in-process is called after the response instead (module doc).

    The callback's ``__qualname__`` is ``func``'s dotted name with its ids, e.g.
    ``certificates.tasks.render_certificate.delay(42)``, which is what Django logs.
    """
    name = f"{callable_name(func)}({_argument_text(args, kwargs)})"

    def call() -> None:
        func(*args, **kwargs)

    def run_after_commit() -> None:
        queue = _after_response.get()
        if queue is not None and runs_task_in_process(func):
            queue.append(call)
        else:
            call()

    call.__qualname__ = run_after_commit.__qualname__ = name
    transaction.on_commit(run_after_commit, robust=True)


def _run(calls: list[Callable[[], None]], when: str) -> None:
    """Make each call once, in order; log a failure with its name and go on."""
    for call in calls:
        try:
            call()
        except Exception as error:
            logger.error("Error calling %s %s (%s).", call.__qualname__, when, error, exc_info=True)


def open_request_queue(**kwargs: object) -> None:
    """``request_started``: give this request an empty queue.

    A previous request in this thread whose response was never closed (a WSGI server
    must close it; a test may leave a streamed response unread) left its calls behind:
    they are made now, with a warning, rather than lost or carried into this request.
    """
    leftover = _after_response.get()
    _after_response.set([])
    if leftover:
        names = ", ".join(call.__qualname__ for call in leftover)
        logger.warning("A request finished without closing its response; running %s", names)
        _run(leftover, "left by an earlier request")


def run_request_queue(**kwargs: object) -> None:
    """``request_finished``: the response has been sent; make the queued calls.

    The queue is taken and closed first, so a call that hands over more work (on
    commit, now outside the request's queue) runs that at once instead of losing it.
    """
    queue = _after_response.get()
    _after_response.set(None)
    if queue:
        _run(queue, "after the response")
