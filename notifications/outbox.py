"""Claiming, sending and stamping outbox rows, for every outbox in Fledge.

An outbox row has ``lease_until``, ``lease_token``, ``sent_at``, ``attempts`` and
``error`` (``OutgoingEmail`` here, ``compliance.NotificationLog``). :func:`drain` is the
one sender loop both use:

1. it **claims** a batch of unsent rows whose lease is free or has run out, with one
   UPDATE that only one sender can win per row, and takes a lease on them;
2. it **sends** each and **stamps** it sent at once (one short UPDATE per message), so a
   sender killed mid-batch has stamped everything it sent but the one in flight, and
   the next sender, after the lease, sends only what is left (at most one duplicate);
3. a row that fails keeps its error and its lease, and is tried again by the first run
   after the lease; one bad row never stops the rest;
4. once half the lease has passed it **renews** the lease on the rows it still holds, so
   a slow mail server never lets a second sender take over what is being sent (rows a
   stalled sender lost meanwhile are left to the one that took them);
5. ``seconds`` bounds a run (a job inside the worker's time limit): when it is up the
   rows still held are **released** at once for the next run, and the run returns.

Sending happens outside any transaction: a mail server that hangs holds no lock.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from time import monotonic

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

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


def stamp_failed(row: models.Model, error: BaseException) -> None:
    """Keep the row unsent with the error; the next sender retries it after the lease."""
    type(row).objects.filter(pk=row.pk).update(error=f"{type(error).__name__}: {error}"[:500])


def renew(model: type[models.Model], token: str, pks: list[int], lease: timedelta) -> set[int]:
    """Extend the lease on the rows still held under ``token``; return their ids."""
    held = model.objects.filter(pk__in=pks, lease_token=token, sent_at__isnull=True)
    if held.update(lease_until=timezone.now() + lease) == len(pks):
        return set(pks)
    return set(held.values_list("pk", flat=True))


def release(model: type[models.Model], token: str, pks: list[int]) -> None:
    """Hand unsent rows back at once, for the next run (no lease to wait out)."""
    model.objects.filter(pk__in=pks, lease_token=token, sent_at__isnull=True).update(
        lease_until=None, lease_token=""
    )


def drain(
    queryset: models.QuerySet,
    *,
    send: Callable[[models.Model], bool],
    lease: timedelta,
    seconds: float | None = None,
    batch: int = BATCH,
) -> int:
    """Send every unsent row of ``queryset`` that no other sender holds, one by one with
    ``send`` (True when a message went out, False when there was nothing to send; an
    exception is a failure); return how many went out. The rules are the module's."""
    model = queryset.model
    deadline = None if seconds is None else monotonic() + seconds
    sent = 0
    while True:
        rows = claim(queryset, now=timezone.now(), lease=lease, batch=batch)
        if not rows:
            return sent
        token = rows[0].lease_token
        renew_at = timezone.now() + lease / 2
        held = {row.pk for row in rows}  # claimed, not tried yet
        for row in rows:
            if deadline is not None and monotonic() >= deadline:
                release(model, token, sorted(held))
                return sent
            if timezone.now() >= renew_at:
                held = renew(model, token, sorted(held), lease)
                renew_at = timezone.now() + lease / 2
            if row.pk not in held:
                continue  # taken over by another sender while this one was stalled
            held.discard(row.pk)
            try:
                went_out = send(row)
            except Exception as error:  # one bad message must not stop the rest
                logger.exception("Could not send %s %s", model._meta.verbose_name, row)
                stamp_failed(row, error)
                continue
            stamp_sent(row)
            sent += int(went_out)
        if len(rows) < batch:
            return sent
