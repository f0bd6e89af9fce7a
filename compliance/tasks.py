"""Celery tasks: thin, idempotent wrappers around the compliance services.

The beat schedule is declared in ``config/settings.py`` (``CELERY_BEAT_SCHEDULE``);
``manage.py compliance_daily`` runs the same work where no worker runs.
"""

from datetime import date

from celery import shared_task

from . import notifications, services
from .models import TrainingRequirement


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def sync_requirement(requirement_id: int, as_of: str | None = None) -> str:
    """Sync one requirement's assignments with its audience."""
    requirement = TrainingRequirement.objects.filter(pk=requirement_id).first()
    if requirement is None:
        return "requirement gone"
    return str(services.assignments_sync_requirement(requirement, as_of=_date(as_of)))


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def daily(as_of: str | None = None) -> str:
    """Daily (06:00): sync every requirement, then queue and send reminders."""
    synced = services.assignments_sync(as_of=_date(as_of))
    queued, sent = notifications.run_reminders(as_of=_date(as_of))
    return f"{synced}; {sent} messages sent"


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def weekly_digests(as_of: str | None = None) -> str:
    """Weekly (Monday 07:00): each manager's digest of overdue people."""
    notifications.queue_manager_digests(as_of=_date(as_of))
    return f"{notifications.send_pending(as_of=_date(as_of))} messages sent"


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def send_pending() -> str:
    """Send queued messages (completion confirmations are queued as courses complete)."""
    return f"{notifications.send_pending()} messages sent"
