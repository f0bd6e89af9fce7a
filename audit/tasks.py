"""Celery tasks of the audit trail (scheduled in ``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task

from . import services


@shared_task
def log_chain_head() -> int:
    """Daily: write the chain head (sequence and hash) to the log; the sequence."""
    return services.log_chain_head().sequence
