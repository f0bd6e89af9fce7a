"""Claiming and stamping outbox rows, for every outbox in Fledge.

An outbox row has ``lease_until``, ``lease_token``, ``sent_at``, ``attempts`` and
``error`` (``OutgoingEmail`` here, ``compliance.NotificationLog``). A sender:

1. **claims** a batch of unsent rows whose lease is free or has run out, with one UPDATE
   that only one sender can win per row, and takes a new lease on them;
2. **sends** each and **stamps** it sent at once (one short UPDATE per message), so a
   sender killed mid-batch has stamped everything it sent but the one in flight, and
   the next sender, after the lease, sends only what is left (at most one duplicate);
3. leaves a failed row unsent with its error, for the next sender after the lease.

Sending happens outside any transaction: a mail server that hangs holds no lock.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

#: Rows claimed per batch.
BATCH = 500


def claim(
    queryset: models.QuerySet, *, now: datetime, lease: timedelta, batch: int = BATCH
) -> list[models.Model]:
    """Claim up to ``batch`` unsent rows of ``queryset`` for this sender; return them
    (read through ``queryset``, so its ``select_related`` applies), oldest first."""
    token = uuid.uuid4().hex
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    unsent = queryset.filter(sent_at__isnull=True)
    ids = list(unsent.filter(free).order_by("pk").values_list("pk", flat=True)[:batch])
    if not ids:
        return []
    unsent.model.objects.filter(free, pk__in=ids, sent_at__isnull=True).update(
        lease_until=now + lease, lease_token=token, attempts=F("attempts") + 1
    )
    return list(unsent.filter(lease_token=token).order_by("pk"))


def stamp_sent(row: models.Model) -> None:
    """Record one row as sent, right after it went out."""
    type(row).objects.filter(pk=row.pk).update(sent_at=timezone.now(), error="")


def stamp_failed(rows: Sequence[models.Model], error: BaseException) -> None:
    """Keep the rows unsent with the error; the next sender retries them after the lease."""
    type(rows[0]).objects.filter(pk__in=[row.pk for row in rows]).update(
        error=f"{type(error).__name__}: {error}"[:500]
    )
