"""Writing to the audit trail and checking it.

:func:`record` is the only writer. It logs the event through Wagtail's ``log_action``
(so *Reports → Site history* and the object's history show it) and appends one
:class:`~audit.models.AuditEntry` to the hash chain, both in the caller's transaction:
if the change rolls back, so does its entry.

Parallel writers keep one chain: on PostgreSQL an append first takes a
transaction-scoped advisory lock (released at commit or rollback), so the next writer
reads the head only after this one committed; SQLite serialises writing transactions
anyway (``transaction_mode`` IMMEDIATE). The unique ``sequence`` is the last line of
defence: a fork would fail to insert rather than be stored.

:func:`purge_entries` is the retention purge: it removes the oldest entries (a prefix of
the chain) and records what it removed as an entry of its own, which
:func:`verify_chain` then starts the chain from.
"""

import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import Max, Min
from django.utils import timezone

from wagtail.log_actions import get_active_log_context
from wagtail.log_actions import registry as log_registry
from wagtail.models import Page

from .models import AuditEntry

logger = logging.getLogger(__name__)

#: The hash the first entry names as its predecessor.
GENESIS_HASH = "0" * 64
#: Key of the PostgreSQL advisory lock that serialises appends (any fixed bigint).
CHAIN_LOCK_KEY = 0x46_4C_45_44_47_45  # "FLEDGE"
#: The action of the entry that records a retention purge.
PURGE_ACTION = "fledge.audit.purge"


@dataclass(frozen=True)
class ChainHead:
    """The last entry of the chain: how many there are and the hash to anchor."""

    sequence: int
    entry_hash: str
    count: int


@dataclass(frozen=True)
class PurgeResult:
    """What :func:`purge_entries` removed (sequences ``removed_from`` to ``removed_to``,
    the last of which had ``last_removed_hash``) and the entry that records it."""

    removed_from: int
    removed_to: int
    removed_count: int
    last_removed_hash: str
    entry: AuditEntry


class ChainBroken(Exception):
    """The chain does not verify: ``sequence`` is the first entry that fails."""

    def __init__(self, sequence: int, reason: str):
        self.sequence = sequence
        self.reason = reason
        super().__init__(f"Audit entry #{sequence}: {reason}")


def pseudonym(user_id: int | None) -> str:
    """The person's keyed pseudonym (HMAC-SHA256 of their id under
    ``FLEDGE_AUDIT_PSEUDONYM_KEY``): entries about one person can be found with it, but
    it says nothing about them once their account is erased."""
    if user_id is None:
        return ""
    key = settings.FLEDGE_AUDIT_PSEUDONYM_KEY.encode()
    return hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()


def canonical_json(payload: dict) -> str:
    """The payload as canonical JSON: sorted keys, no spaces, UTF-8 text."""
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder
    )


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def entry_hash(entry: AuditEntry) -> str:
    """The hash an entry must carry: SHA-256 over its predecessor's hash, its fields and
    its payload's hash, joined by ``|``."""
    recorded = entry.recorded_at.astimezone(UTC).isoformat()
    fields = [
        entry.prev_hash,
        str(entry.sequence),
        recorded,
        "" if entry.actor_id is None else str(entry.actor_id),
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.subject,
        entry.payload_hash,
    ]
    return _sha256("|".join(fields))


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def text_digest(text: str) -> str:
    """A keyed digest of free text (a reason, a note) for a payload: it proves what the
    text was, kept beside the change, without putting the text in the chain."""
    key = settings.FLEDGE_AUDIT_PSEUDONYM_KEY.encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def _log_in_wagtail(obj, action: str, actor, actor_id, data: dict, now) -> None:
    """Wagtail's log entry for the event (*Site history*, the object's history): the
    row its ``log_action`` would write, in the model its registry names for the object,
    inserted in one statement. (``log_action`` saves through ``full_clean``, which
    reads the content type and the user back first: two queries for facts the trail
    already knows, on every audited event.)"""
    model = log_registry.get_log_model_for_instance(obj)
    if model is None:
        return
    if actor_id is not None and not isinstance(actor, models.Model):
        actor = get_user_model()(pk=actor_id)  # the id is all the log row keeps
    target = {"page": obj} if isinstance(obj, Page) else {"object_id": str(obj.pk)}
    entry = model(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        label=f"{obj._meta.verbose_name} {obj.pk}",
        action=action,
        timestamp=now,
        data=data,
        user=actor,
        uuid=get_active_log_context().uuid,
        **target,
    )
    model.objects.bulk_create([entry])


def record(
    *,
    actor=None,
    action: str,
    obj: models.Model | None,
    payload: dict,
    subject=None,
    details: dict | None = None,
) -> AuditEntry:
    """Record ``action`` by ``actor`` (a user or a user id, or ``None`` for the system)
    on ``obj`` with ``payload``, about ``subject`` (the person the event concerns: a
    user or a user id; stored only as :func:`pseudonym`).

    The payload must hold no personal data (names, emails, free text about a person):
    it is hashed into the chain and can never be erased. Ids, statuses, scores, dates
    and choices from a list are fine; free text goes in as :func:`text_digest`, and
    may also be shown in Wagtail's history through ``details``, which is not hashed
    (and so can be erased). Runs in the caller's transaction (starting one if there is
    none): Wagtail's log entry (one insert), then the chain's append: three statements
    on PostgreSQL (lock, read head, insert), two on SQLite.
    """
    actor_id = getattr(actor, "pk", actor)
    subject_id = getattr(subject, "pk", subject)
    body = canonical_json(payload)
    with transaction.atomic(savepoint=False):
        now = timezone.now()
        if obj is not None:
            _log_in_wagtail(obj, action, actor, actor_id, {**payload, **(details or {})}, now)
        _lock_chain()
        head = AuditEntry.objects.order_by("-sequence").values_list("sequence", "entry_hash")
        last = head.first()
        entry = AuditEntry(
            sequence=(last[0] + 1) if last else 1,
            recorded_at=now,
            actor_id=actor_id,
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            subject=pseudonym(subject_id),
            payload=body,
            payload_hash=_sha256(body),
            prev_hash=last[1] if last else GENESIS_HASH,
        )
        entry.entry_hash = entry_hash(entry)
        entry.save(force_insert=True)
    return entry


def _purged_hashes() -> dict[int, str]:
    """``removed_to`` → ``last_removed_hash`` of every purge entry, later purges winning
    (one query; the walk then proves those entries unaltered)."""
    recorded = {}
    purges = AuditEntry.objects.filter(action=PURGE_ACTION).order_by("sequence")
    for payload in purges.values_list("payload", flat=True).iterator():
        try:
            data = json.loads(payload)
        except ValueError:
            continue  # an altered payload: the walk names its entry
        if isinstance(data, dict) and isinstance(data.get("removed_to"), int):
            recorded[data["removed_to"]] = data.get("last_removed_hash")
    return recorded


def _check_start(entry: AuditEntry, purged: dict[int, str]) -> None:
    """The chain's first remaining entry: sequence 1 follows the genesis hash; any later
    one follows the last hash a purge recorded removing everything before it."""
    if entry.sequence == 1:
        if entry.prev_hash != GENESIS_HASH:
            raise ChainBroken(entry.sequence, "the first entry does not start the chain")
        return
    if entry.sequence - 1 not in purged:
        raise ChainBroken(entry.sequence, "starts after removed entries that no purge recorded")
    if entry.prev_hash != purged[entry.sequence - 1]:
        raise ChainBroken(entry.sequence, "does not name the last hash its purge recorded")


def _walk(entries: Iterator[AuditEntry], purged: dict[int, str]) -> int:
    count = 0
    previous = None
    for entry in entries:
        if previous is None:
            _check_start(entry, purged)
        else:
            if entry.sequence != previous.sequence + 1:
                raise ChainBroken(entry.sequence, f"follows #{previous.sequence} (a gap)")
            if entry.prev_hash != previous.entry_hash:
                raise ChainBroken(entry.sequence, "does not name the hash of the entry before")
        if _sha256(entry.payload) != entry.payload_hash:
            raise ChainBroken(entry.sequence, "payload does not match its hash")
        if entry_hash(entry) != entry.entry_hash:
            raise ChainBroken(entry.sequence, "entry hash does not match its fields")
        previous = entry
        count += 1
    return count


def verify_chain() -> ChainHead:
    """Walk the whole chain in order; the head when every entry verifies, else
    :class:`ChainBroken` naming the first that does not.

    A chain whose oldest entries were removed by :func:`purge_entries` starts at its
    lowest remaining sequence L > 1. Its ``prev_hash`` must then equal the
    ``last_removed_hash`` of the latest ``fledge.audit.purge`` entry whose
    ``removed_to`` is L - 1 (that purge entry is itself in the walked chain, so its
    payload is proven too); a chain that starts after removed entries no purge recorded
    is broken at L. Two queries: the purge entries, then the walk.
    """
    purged = _purged_hashes()
    # Closed on the way out, so a break found mid-walk leaves no cursor open.
    with closing(AuditEntry.objects.order_by("sequence").iterator(chunk_size=2000)) as entries:
        count = _walk(entries, purged)
    return chain_head(count=count)


def _purge_switch(*, on: bool) -> None:
    # The trigger of migration 0002 allows DELETE only while this is 'on'. SET LOCAL
    # would last to the end of the transaction: it is turned off again at once, in case
    # the caller's transaction goes on.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if on:
                cursor.execute("SET LOCAL fledge.audit_purge = 'on'")
            else:
                cursor.execute("SET LOCAL fledge.audit_purge = 'off'")


def purge_entries(*, before: datetime, actor=None) -> PurgeResult | None:
    """Remove the chain's entries recorded before ``before`` (timezone-aware) and record
    the removal; the :class:`PurgeResult`, or ``None`` when there is nothing to remove.

    Only a prefix of the chain goes: from the lowest remaining sequence up to N, the
    entry before the first one recorded at or after ``before``, and never the head, so
    numbering goes on. Then a ``fledge.audit.purge`` entry (by ``actor``, no object)
    records ``removed_from``, ``removed_to`` (N), ``removed_count``,
    ``last_removed_hash`` (entry N's hash) and ``before``; :func:`verify_chain` starts
    the remaining chain from that hash. A later purge may remove an earlier purge's
    entry: its own entry records the new range, and only the purge whose
    ``removed_to`` is just below the lowest remaining entry is needed. All in one
    transaction under the chain's lock; on PostgreSQL the trigger's purge switch is on
    only for the DELETE.
    """
    if timezone.is_naive(before):
        raise ValueError("purge_entries needs a timezone-aware 'before'")
    with transaction.atomic():
        _lock_chain()
        entries = AuditEntry.objects.order_by("sequence")
        bounds = entries.aggregate(lowest=Min("sequence"), head=Max("sequence"))
        if bounds["head"] is None:
            return None
        young = entries.filter(recorded_at__gte=before).aggregate(first=Min("sequence"))
        head = bounds["head"]
        keep_from = head if young["first"] is None else min(young["first"], head)
        last = (
            entries.filter(sequence__lt=keep_from)
            .order_by("-sequence")
            .values_list("sequence", "entry_hash")
            .first()
        )
        if last is None:
            return None
        _purge_switch(on=True)
        removed, _ = entries.filter(sequence__lte=last[0]).delete()
        _purge_switch(on=False)
        payload = {
            "removed_from": bounds["lowest"],
            "removed_to": last[0],
            "removed_count": removed,
            "last_removed_hash": last[1],
            "before": before.astimezone(UTC).isoformat(),
        }
        entry = record(actor=actor, action=PURGE_ACTION, obj=None, payload=payload)
    logger.info(
        "Audit purge: removed entries #%d to #%d (%d), recorded as #%d",
        bounds["lowest"],
        last[0],
        removed,
        entry.sequence,
    )
    return PurgeResult(
        removed_from=bounds["lowest"],
        removed_to=last[0],
        removed_count=removed,
        last_removed_hash=last[1],
        entry=entry,
    )


def chain_head(*, count: int | None = None) -> ChainHead:
    """The chain's last entry (sequence 0 and the genesis hash when it is empty)."""
    last = AuditEntry.objects.order_by("-sequence").values_list("sequence", "entry_hash").first()
    if count is None:
        count = AuditEntry.objects.count()
    if last is None:
        return ChainHead(sequence=0, entry_hash=GENESIS_HASH, count=count)
    return ChainHead(sequence=last[0], entry_hash=last[1], count=count)


def log_chain_head() -> ChainHead:
    """Write the chain head to the log, for an operator to anchor elsewhere (the daily
    job)."""
    head = chain_head()
    logger.info(
        "Audit chain head: sequence %d, hash %s (%d entries)",
        head.sequence,
        head.entry_hash,
        head.count,
    )
    return head


#: Keys of free text that :func:`record`'s ``details`` put in Wagtail's log entries.
DETAIL_KEYS = ("reason",)


def redact_details(*, model: type[models.Model], ids, replacement: str) -> int:
    """Replace the free text (``details``: a reason) in Wagtail's log entries of the
    ``model`` objects ``ids`` by ``replacement``; how many entries changed. The chain
    holds only its digest, so it is untouched (an erasure's part, records.hooks)."""
    log_model = log_registry.get_log_model_for_model(model)
    if log_model is None:
        return 0
    entries = log_model.objects.filter(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id__in=[str(pk) for pk in ids],
    )
    changed = 0
    for entry in entries.only("pk", "data"):
        data = entry.data if isinstance(entry.data, dict) else {}
        found = {key: replacement for key in DETAIL_KEYS if data.get(key)}
        if found:
            entry.data = {**data, **found}
            entry.save(update_fields=["data"])
            changed += 1
    return changed
