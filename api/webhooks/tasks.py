"""Celery tasks of the webhooks: thin and idempotent.

``deliver`` is handed each new delivery once its change commits (:func:`hand_over`),
so receivers hear at once. ``sweep`` runs every minute from Celery beat (and from
``manage.py sweep``: ``SWEEP_TASKS`` in ``config/settings``): it announces newly
overdue cycles, then sends every delivery that is due, which covers retries after
their backoff, a resend, and a hand-over lost with the broker or a killed worker.
Neither is retried by Celery: the outbox row is the retry, due again at its
``next_attempt_at``.
"""

from time import monotonic

from django.utils import timezone

from celery import shared_task

from base.transactions import after_commit

from .delivery import delivery_send, due_delivery_ids
from .emitters import assignments_overdue

#: Seconds a sweep sends before it leaves the rest to the next minute's (inside the
#: job time limit, ``FLEDGE_TASK_TIME_LIMIT_SECONDS``).
SEND_SECONDS = 20.0
#: Deliveries a sweep looks at in one go.
BATCH = 200


#: Deliveries of one change handed to workers one by one; the rest (a sync that
#: assigned a whole department) are left to the per-minute sweep, in batches.
HAND_OVER_MAX = 100


def hand_over(delivery_ids: list[int]) -> None:
    """Send these deliveries from a worker once the current transaction commits."""
    for delivery_id in delivery_ids[:HAND_OVER_MAX]:
        after_commit(deliver.delay, delivery_id)


@shared_task(ignore_result=True)
def deliver(delivery_id: int) -> str:
    """Send one delivery if it is still due (a re-run after it was sent does nothing)."""
    return delivery_send(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def sweep(seconds: float = SEND_SECONDS) -> str:
    """Every minute: overdue cycles announced, then the due deliveries sent."""
    overdue = len(assignments_overdue())
    started = monotonic()
    sent = 0
    for delivery_id in due_delivery_ids(now=timezone.now(), limit=BATCH):
        if monotonic() - started > seconds:
            break
        if delivery_send(delivery_id=delivery_id) != "not due":
            sent += 1
    return f"{overdue} overdue events; {sent} delivery attempts"
