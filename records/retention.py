"""The retention purge: personal records older than ``FLEDGE_RETENTION_YEARS`` go.

:func:`purge` (weekly from Celery beat, or ``manage.py retention_purge``) takes the
cutoff ``years`` calendar years before now and, in order:

1. erases (:func:`records.services.erase_person`, by the system) every person who is
   inactive, not erased yet, and last signed in before the cutoff (or, never signed
   in, joined before it): their figures stay, their personal data goes;
2. runs every app's purge (:func:`records.hooks.retention_parts`): rows older than the
   cutoff that nothing needs any more (sent emails, the reminder log of finished
   cycles, sign-in logs);
3. removes the audit entries recorded before the cutoff
   (:func:`audit.purge_entries`, which records the removal in the chain);
4. logs each count and records one ``fledge.records.retention_purge`` entry with the
   cutoff and the counts.

Each step commits on its own, so an interrupted run keeps what it did and the next run
does the rest. ``years`` 0 (the default setting) switches it all off. A dry run does
everything in one transaction and rolls it back, so its counts are exact.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

import audit

from . import hooks
from .services import ErasureRefused, erase_person

logger = logging.getLogger(__name__)

#: The action of the entry that records a purge.
PURGE_ACTION = "fledge.records.retention_purge"
#: The count of people erased, among the counts :func:`purge` returns.
PEOPLE_ERASED = "records.people_erased"
#: The count of audit entries removed.
AUDIT_ENTRIES = "audit.entries"


def years_before(moment: datetime, years: int) -> datetime:
    """``moment`` ``years`` calendar years earlier (29 February becomes the 28th in a
    year without it)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def people_past_retention(*, cutoff: datetime) -> QuerySet:
    """The people :func:`purge` erases: inactive, not erased, and not seen since
    before ``cutoff`` (their last sign-in, or when they joined if they never did)."""
    return (
        get_user_model()
        .objects.filter(is_active=False)
        .exclude(profile__erased_at__isnull=False)
        .alias(last_seen=Coalesce("last_login", "date_joined"))
        .filter(last_seen__lt=cutoff)
        .order_by("pk")
    )


def _erase_people(cutoff: datetime) -> int:
    erased = 0
    for person in people_past_retention(cutoff=cutoff).iterator():
        try:
            erase_person(person, actor=None)
        except ErasureRefused:  # erased meanwhile by someone else
            continue
        erased += 1
    return erased


def _run(cutoff: datetime, years: int) -> dict[str, int]:
    counts = {PEOPLE_ERASED: _erase_people(cutoff)}
    with transaction.atomic():
        counts.update(hooks.retention_parts(cutoff=cutoff))
    removed = audit.purge_entries(before=cutoff)
    counts[AUDIT_ENTRIES] = removed.removed_count if removed is not None else 0
    audit.record(
        actor=None,
        action=PURGE_ACTION,
        obj=None,
        payload={"cutoff": cutoff.isoformat(), "years": years, "removed": counts},
    )
    return counts


def purge(
    *, years: int | None = None, now: datetime | None = None, dry_run: bool = False
) -> dict[str, int]:
    """Remove personal records older than ``years`` (default: the
    ``FLEDGE_RETENTION_YEARS`` setting) before ``now`` (default: now); how many of
    each kind went. Nothing happens, and ``{}`` is returned, when ``years`` is 0.
    ``dry_run`` counts what would go and changes nothing."""
    years = settings.FLEDGE_RETENTION_YEARS if years is None else years
    if years <= 0:
        logger.info("Retention purge: off (FLEDGE_RETENTION_YEARS is 0), nothing removed")
        return {}
    cutoff = years_before(now or timezone.now(), years)
    if dry_run:
        with transaction.atomic():
            counts = _run(cutoff, years)
            transaction.set_rollback(True)
    else:
        counts = _run(cutoff, years)
    verb = "would remove" if dry_run else "removed"
    for name, count in counts.items():
        logger.info("Retention purge before %s: %s %d %s", cutoff.date(), verb, count, name)
    return counts
