"""Celery tasks of the outbox: thin and idempotent.

``send_outbox`` runs after each commit that queued an email (to be quick) and every
minute from Celery beat (``CELERY_BEAT_SCHEDULE``), so an email queued while the broker
was down, or whose task was lost with a worker, still goes out within a minute or so.
"""

from celery import shared_task

from .sending import outbox_send

#: Seconds a run sends before it hands the rest to the next run (inside the job time
#: limit, ``FLEDGE_TASK_TIME_LIMIT_SECONDS``).
SEND_SECONDS = 20.0


@shared_task(ignore_result=True)
def send_outbox() -> str:
    """Send the queued emails (each at most once, but for one in flight at a crash).
    Not retried: the per-minute run is the retry."""
    return f"{outbox_send(seconds=SEND_SECONDS)} emails sent"
