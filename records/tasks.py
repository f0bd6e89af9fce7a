"""Celery tasks of personal records (scheduled in ``CELERY_BEAT_SCHEDULE``;
``manage.py retention_purge`` does the same work by hand)."""

from celery import shared_task

from . import retention


@shared_task
def retention_purge() -> dict[str, int]:
    """Weekly: remove personal records older than ``FLEDGE_RETENTION_YEARS`` (nothing
    at 0); the counts of what went. Idempotent: a second run finds nothing more."""
    return retention.purge()
