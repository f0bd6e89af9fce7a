"""The webhooks' part of a person's erasure and of the retention purge (records.hooks).

An event names a person by user id and username only. Erasing the person replaces the
username in every stored event about them (a retry or a resend then sends the
redacted body: the receiver already had the original). The purge deletes events
older than the cutoff, with their deliveries and attempts, once none of their
deliveries is still pending.
"""

from datetime import datetime

from django.db.models import Exists, OuterRef

from .models import WebhookDelivery, WebhookEvent


def erase_person(person, *, erased) -> dict[str, int]:
    """Replace the person's username in the events about them."""
    events = list(WebhookEvent.objects.filter(payload__data__user_id=person.pk))
    for event in events:
        event.payload["data"]["username"] = erased.redacted
    WebhookEvent.objects.bulk_update(events, ["payload"], batch_size=500)
    return {"api.webhook_event_redacted": len(events)}


def purge_before(*, cutoff: datetime) -> dict[str, int]:
    """Delete events from before ``cutoff`` that nothing still has to send."""
    pending = WebhookDelivery.objects.filter(
        event=OuterRef("pk"), status=WebhookDelivery.Status.PENDING
    )
    old = WebhookEvent.objects.filter(created_at__lt=cutoff).exclude(Exists(pending))
    removed = old.count()
    old.delete()
    return {"api.webhook_event": removed}
