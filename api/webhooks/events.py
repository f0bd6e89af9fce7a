"""Writing events to the outbox, in the transaction of the change they describe.

:func:`event_emit` is the one way an event is recorded. It writes the event and one
delivery per active subscription that wants its type, and returns the deliveries' ids
for the caller to hand to a worker once the transaction commits
(:func:`api.webhooks.tasks.hand_over`). Inside a transaction that is rolled back,
neither the rows nor the hand-over survive. (The hand-over is the caller's so that the
periodic task, which emits overdue events and then sends whatever is due, can use
this module without a cycle.)

**No cost when nobody listens.** Enrolments, completions and syncs keep to query
budgets (``tests/learner/test_final_quiz_queries.py``), so the set of event types some
active subscription wants is kept in the cache: a change nobody subscribed to costs no
query. Saving or deleting a subscription clears it at once and again on commit (so a
read between the two cannot cache the old set), and it lives :data:`TYPES_SECONDS` at
most, which bounds how stale a per-process cache (no Redis) can be.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from base.transactions import after_commit

from .models import WebhookDelivery, WebhookEvent, WebhookSubscription

#: Cache key of the event types some active subscription wants.
TYPES_KEY = "api:webhooks:subscribed-types"
#: Seconds that set is trusted before it is read again.
TYPES_SECONDS = 60
#: Events written per statement by :func:`events_emit`.
BATCH = 500


def subscribed_types() -> frozenset[str]:
    """The event types at least one active subscription wants (cached)."""
    types = cache.get(TYPES_KEY)
    if types is None:
        types = frozenset(
            event
            for events in WebhookSubscription.objects.filter(active=True).values_list(
                "events", flat=True
            )
            for event in events or ()
        )
        cache.set(TYPES_KEY, types, TYPES_SECONDS)
    return types


def _forget_types() -> None:
    cache.delete(TYPES_KEY)


def subscriptions_changed() -> None:
    """A subscription was saved or deleted: read the subscribed types again, now and
    once the change commits."""
    _forget_types()
    after_commit(_forget_types)


def retry_until(start: datetime) -> datetime:
    """When a delivery started (or resent) at ``start`` stops being retried."""
    return start + timedelta(hours=settings.FLEDGE_WEBHOOK_RETRY_HOURS)


def _subscriptions_for(type: str) -> list[WebhookSubscription]:
    if type not in subscribed_types():
        return []
    return [
        subscription
        for subscription in WebhookSubscription.objects.filter(active=True)
        if type in (subscription.events or ())
    ]


def _new_event(type: str, data: dict, key: str | None, now: datetime) -> WebhookEvent:
    event = WebhookEvent(type=type, key=key, created_at=now, payload={})
    event.payload = {
        "id": str(event.event_id),
        "type": type,
        "created_at": now.isoformat(),
        "data": data,
    }
    return event


def _deliveries(
    events: list[WebhookEvent], subscriptions: list[WebhookSubscription], now: datetime
) -> list[int]:
    rows = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            event=event,
            subscription=subscription,
            next_attempt_at=now,
            retry_until=retry_until(now),
            created_at=now,
        )
        for event in events
        for subscription in subscriptions
    )
    return [row.pk for row in rows]


def event_emit(
    *, type: str, data: dict, key: str | None = None, now: datetime | None = None
) -> list[int]:
    """Record that ``type`` happened with ``data`` and queue its deliveries; return
    their ids. None are queued when no active subscription wants it, or when an event
    with ``key`` exists already (the same thing happened before and was sent then)."""
    subscriptions = _subscriptions_for(type)
    if not subscriptions:
        return []
    if key is not None and WebhookEvent.objects.filter(key=key).exists():
        return []
    now = now or timezone.now()
    event = _new_event(type, data, key, now)
    try:
        # A savepoint: a parallel pass that wrote the same key first wins, and this
        # change carries on without its event.
        with transaction.atomic():
            event.save()
    except IntegrityError:
        return []
    return _deliveries([event], subscriptions, now)


def events_emit(
    *, type: str, items: list[tuple[str, dict]], now: datetime | None = None
) -> list[int]:
    """:func:`event_emit` for many (key, data) pairs of one type at once (a sync that
    assigns a whole department): a fixed number of statements per batch instead of
    several per event. Keys already used are skipped; should a parallel pass insert
    one of the others meanwhile, this batch falls back to one event at a time."""
    subscriptions = _subscriptions_for(type)
    if not subscriptions or not items:
        return []
    now = now or timezone.now()
    ids: list[int] = []
    for start in range(0, len(items), BATCH):
        batch = items[start : start + BATCH]
        used = set(
            WebhookEvent.objects.filter(key__in=[key for key, _ in batch]).values_list(
                "key", flat=True
            )
        )
        events = [_new_event(type, data, key, now) for key, data in batch if key not in used]
        try:
            with transaction.atomic():
                WebhookEvent.objects.bulk_create(events)
        except IntegrityError:
            for key, data in batch:
                ids += event_emit(type=type, data=data, key=key, now=now)
            continue
        ids += _deliveries(events, subscriptions, now)
    return ids
