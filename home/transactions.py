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
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

from django.db import transaction


def callable_name(func: Callable[..., object]) -> str:
    """A dotted name for a callable, for log lines.

    >>> callable_name(callable_name)
    'home.transactions.callable_name'
    >>> callable_name(functools.partial(callable_name))
    'partial(home.transactions.callable_name)'

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


def after_commit(func: Callable[..., object], /, *args: object, **kwargs: object) -> None:
    """Call ``func(*args, **kwargs)`` once the current transaction commits (at once
    outside a transaction); a failure is logged, never raised.

    The callback's ``__qualname__`` is ``func``'s dotted name with its ids, e.g.
    ``certificates.tasks.render_certificate.delay(42)``, which is what Django logs.
    """

    def run_after_commit() -> None:
        func(*args, **kwargs)

    run_after_commit.__qualname__ = f"{callable_name(func)}({_argument_text(args, kwargs)})"
    transaction.on_commit(run_after_commit, robust=True)
