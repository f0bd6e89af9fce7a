"""Celery tasks of the outbox: thin and idempotent.

``send_outbox`` runs after each commit that queued an email (to be quick) and every
minute from Celery beat (``CELERY_BEAT_SCHEDULE``), so an email queued while the broker
was down, or whose task was lost with a worker, still goes out within a minute or so.
"""

from celery import shared_task

from .sending import outbox_send


@shared_task(ignore_result=True)
def send_outbox() -> str:
    """Send the queued emails (each at most once, but for one in flight at a crash)."""
    return f"{outbox_send()} emails sent"
