"""Celery tasks: thin, idempotent wrappers around the compliance services.

The beat schedule is declared in ``config/settings/__init__.py`` (``CELERY_BEAT_SCHEDULE``);
``manage.py compliance_daily`` runs the same work where no worker runs, and
``manage.py sweep`` the per-minute sweep.

Retries: a task that fails (the database or the broker away, a mail server refusing)
is retried with a growing delay, 1 s, 2 s, 4 s … then every 40 s, for about five
minutes; whatever is still undone then (an unsent message, a requested sync) is in the
database and the per-minute :func:`sweep` does it. A retry waits in a worker without
being acknowledged, so its delay stays below the broker's visibility timeout
(``FLEDGE_TASK_VISIBILITY_SECONDS``, 50 s), or Redis would hand it to a second worker
(``tests/faults/test_job_bounds.py``). Sending stops after :data:`SEND_SECONDS` and
hands the rest to the next run, so no job reaches the hard time limit
(``FLEDGE_TASK_TIME_LIMIT_SECONDS``, 45 s) in the middle of a batch.
"""

from datetime import date

from celery import shared_task

from . import services
from .services import notifications

#: Retry with backoff for about five minutes (1 s, 2 s, 4 s … then every 40 s).
RETRIES = {
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 40,
    "max_retries": 10,
}
#: Seconds a task sends messages before it hands the rest to the next run.
SEND_SECONDS = 20.0


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@shared_task(**RETRIES)
def sync_requirement(requirement_id: int, as_of: str | None = None) -> str:
    """Sync one requirement's assignments with its audience."""
    result = services.requirement_sync_requested(requirement_id=requirement_id, as_of=_date(as_of))
    return "requirement gone" if result is None else str(result)


@shared_task(**RETRIES)
def daily(as_of: str | None = None) -> str:
    """Daily (06:00): sync every requirement, then queue and send reminders."""
    synced = services.assignments_sync(as_of=_date(as_of))
    queued, sent = notifications.run_reminders(as_of=_date(as_of), seconds=SEND_SECONDS)
    return f"{synced}; {sent} messages sent"


@shared_task(**RETRIES)
def weekly_digests(as_of: str | None = None) -> str:
    """Weekly (Monday 07:00): each manager's digest of overdue people."""
    notifications.queue_manager_digests(as_of=_date(as_of))
    sent = notifications.send_pending(as_of=_date(as_of), seconds=SEND_SECONDS)
    return f"{sent} messages sent"


@shared_task(**RETRIES)
def send_pending() -> str:
    """Send queued messages (completion confirmations are queued as courses complete)."""
    return f"{notifications.send_pending(seconds=SEND_SECONDS)} messages sent"


@shared_task(ignore_result=True)
def sweep() -> str:
    """Every minute: requested syncs whose task was lost, then queued messages. Not
    retried: the next minute's run is the retry."""
    synced = services.requirements_sync_requested()
    sent = notifications.send_pending(seconds=SEND_SECONDS)
    return f"{synced} requested syncs; {sent} messages sent"
