"""Sending a delivery: claim it, sign it, POST it, log the attempt, schedule a retry.

**Claiming.** A delivery is sent by whoever moves its ``next_attempt_at`` from a due
time to ``now + lease`` with one conditional UPDATE: two workers (a task and the
sweep, or a task handed out twice after a worker restart) never send it at once, and
a delivered or failed one is never claimed again. A worker killed in the middle of a
POST leaves the delivery due again once the lease has passed, so it is sent again
(at least once; receivers drop duplicates by the event id). The lease is longer than
the request timeout, so a claim never runs out while its POST can still be answered.

**Signing** follows Stripe and GitHub: ``Fledge-Signature: t=<unix time>,v1=<hex>``
where the hex is HMAC-SHA256 of ``"<t>.<body>"`` with the subscription's secret; the
time lets receivers refuse old replays. The POST is made outside any transaction
(a slow receiver holds no lock), with a short timeout and without following
redirects (a 3xx counts as a failure: the URL should be updated instead).

**Retries.** A failed attempt waits ``FLEDGE_WEBHOOK_BACKOFF_SECONDS`` doubled for
each earlier attempt, capped at ``FLEDGE_WEBHOOK_BACKOFF_MAX_SECONDS``; no retry is
planned after ``retry_until`` (24 hours after the event, or after a resend), and the
delivery is then failed.
"""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F
from django.utils import timezone

from .models import WebhookAttempt, WebhookDelivery

#: Characters of an error or answer kept with an attempt.
ERROR_CHARS = 500
USER_AGENT = "Fledge-Webhooks/1"


def lease() -> timedelta:
    """How long a claim lasts: the request timeout and a margin."""
    return timedelta(seconds=settings.FLEDGE_WEBHOOK_TIMEOUT_SECONDS + 30)


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    """The ``Fledge-Signature`` header's value for ``body`` sent at ``timestamp``."""
    message = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def body_of(payload: dict) -> bytes:
    """The JSON body sent for an event: the same bytes at every attempt."""
    return json.dumps(payload, cls=DjangoJSONEncoder, separators=(",", ":")).encode()


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4 … minutes, capped."""
    seconds = settings.FLEDGE_WEBHOOK_BACKOFF_SECONDS * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(seconds, settings.FLEDGE_WEBHOOK_BACKOFF_MAX_SECONDS))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is answered as it came (a failed attempt), never followed: a
    signed body must not be replayed to wherever a receiver points."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


@dataclass
class Answer:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(*, url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST ``body`` to ``url``; the answer's status, or the error that stopped it."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - http(s) only, checked by the form
    started = time.monotonic()
    status, error = None, ""
    try:
        with _opener.open(request, timeout=settings.FLEDGE_WEBHOOK_TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as answer:
        status = answer.code
        error = answer.read(ERROR_CHARS).decode(errors="replace")
    except (OSError, ValueError) as failure:  # refused, unreachable, timed out, bad URL
        reason = getattr(failure, "reason", failure)
        error = f"{type(failure).__name__}: {reason}"[:ERROR_CHARS]
    duration = int((time.monotonic() - started) * 1000)
    return Answer(status_code=status, error=error[:ERROR_CHARS], duration_ms=duration)


def claim(*, delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """Take a due, pending delivery for this sender (None when it is not due, already
    sent or failed, or taken by another sender)."""
    until = now + lease()
    taken = WebhookDelivery.objects.filter(
        pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=until, attempts=F("attempts") + 1)
    if not taken:
        return None
    return WebhookDelivery.objects.select_related("event", "subscription").get(pk=delivery_id)


def headers_for(delivery: WebhookDelivery, body: bytes, timestamp: int) -> dict[str, str]:
    event = delivery.event
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Fledge-Event": event.type,
        "Fledge-Event-Id": str(event.event_id),
        "Fledge-Delivery": str(delivery.pk),
        "Fledge-Signature": sign(
            secret=delivery.subscription.secret, timestamp=timestamp, body=body
        ),
    }


def delivery_send(*, delivery_id: int) -> str:
    """Send one delivery if it is due and nobody else is sending it; log the attempt
    and record the outcome. Returns what happened, for the task's result."""
    now = timezone.now()
    delivery = claim(delivery_id=delivery_id, now=now)
    if delivery is None:
        return "not due"
    claimed_until = delivery.next_attempt_at
    body = body_of(delivery.event.payload)
    answer = post(
        url=delivery.subscription.url,
        body=body,
        headers=headers_for(delivery, body, int(now.timestamp())),
    )
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        started_at=now,
        status_code=answer.status_code,
        error="" if answer.ok else answer.error,
        duration_ms=answer.duration_ms,
    )
    finished = timezone.now()
    if answer.ok:
        changes = {"status": WebhookDelivery.Status.DELIVERED, "delivered_at": finished}
        changes["next_attempt_at"] = None
        outcome = "delivered"
    elif finished >= delivery.retry_until:
        changes = {"status": WebhookDelivery.Status.FAILED, "next_attempt_at": None}
        outcome = "failed"
    else:
        retry_at = min(finished + backoff(delivery.attempts), delivery.retry_until)
        changes = {"next_attempt_at": retry_at}
        outcome = "retry"
    # Only while the claim holds: a resend meanwhile has set a new due time, and wins.
    WebhookDelivery.objects.filter(pk=delivery.pk, next_attempt_at=claimed_until).update(**changes)
    return outcome


def due_delivery_ids(*, now: datetime, limit: int) -> list[int]:
    """Pending deliveries due at ``now``, oldest due first (the sweep's work)."""
    return list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
