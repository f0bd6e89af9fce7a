"""A person's data download and their erasure.

:func:`export_zip` gathers every app's part (:func:`records.hooks.export_parts`) with the
audit entries about the person into one ZIP of JSON files. :func:`erase_person` runs
every app's erasure in one transaction and records it in the audit trail: the chain
holds no personal data (only a keyed pseudonym of the person's id), so it still
verifies afterwards.
"""

import io
import json
import zipfile
from typing import Any

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

import audit
from accounts.models import Profile
from audit.models import AuditEntry
from base.errors import FledgeError

from . import hooks

#: The file that explains the download, first in the ZIP.
README_TEXT = """Your data from {site}, as of {when}.

Each file is JSON. profile.json is your account; the folders hold what each part of
the site keeps about you: enrolments, lesson progress and quiz attempts (learner),
required training and the messages about it (compliance), certificates, emails
(notifications) and the audit entries about you or by you (audit/entries.json, with
their hashes: `manage.py audit_verify` proves the trail they come from is intact).
"""


class ErasureRefused(FledgeError):
    """The person cannot be erased (already erased, or the actor may not)."""

    def __init__(self, message: str, *, status: int = 409):
        super().__init__(message, status=status)


def audit_entries_about(person, *, objects: set[str] | None = None) -> QuerySet[AuditEntry]:
    """The audit entries about ``person`` (their pseudonym is the subject) or by them
    (they are the actor), oldest first; only those on ``objects`` ("app.model:pk")
    when given."""
    entries = AuditEntry.objects.filter(
        Q(subject=audit.pseudonym(person.pk)) | Q(actor_id=person.pk)
    ).order_by("sequence")
    if objects is not None:
        keys = Q(pk__in=[])
        for key in objects:
            label, _, pk = key.partition(":")
            keys |= Q(object_type=label, object_id=pk)
        entries = entries.filter(keys)
    return entries


def entry_data(entry: AuditEntry) -> dict[str, Any]:
    """An audit entry as exported: every field the hash covers, and the hashes."""
    return {
        "sequence": entry.sequence,
        "recorded_at": entry.recorded_at,
        "action": entry.action,
        "actor_id": entry.actor_id,
        "object": f"{entry.object_type}:{entry.object_id}" if entry.object_type else "",
        "subject": entry.subject,
        "payload": entry.data,
        "payload_hash": entry.payload_hash,
        "prev_hash": entry.prev_hash,
        "entry_hash": entry.entry_hash,
    }


def to_json(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False, sort_keys=True)


def export_files(person) -> dict[str, Any]:
    """Every file of ``person``'s data download, by name without extension."""
    files = hooks.export_parts(person)
    files["audit/entries"] = [entry_data(e) for e in audit_entries_about(person).iterator()]
    return files


def export_zip(person, *, actor, site_name: str = "Fledge") -> bytes:
    """``person``'s data as a ZIP of JSON files, recorded in the audit trail as
    downloaded by ``actor``."""
    now = timezone.now()
    files = export_files(person)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README_TEXT.format(site=site_name, when=now.isoformat()))
        for name in sorted(files):
            archive.writestr(f"{name}.json", to_json(files[name]))
    audit.record(
        actor=actor,
        action="fledge.records.export",
        obj=person,
        payload={"person": person.pk, "files": sorted(files)},
        subject=person,
    )
    return buffer.getvalue()


def is_erased(person) -> bool:
    return Profile.objects.filter(user=person, erased_at__isnull=False).exists()


def erase_person(person, *, actor) -> dict[str, int]:
    """Erase ``person``: every app replaces their name, addresses and free text about
    them and deletes what only served them (sessions, sign-in factors, queued mail);
    the account stays, signed out and unable to sign in, so figures, completions and
    certificates (verified as "holder erased") still count. Recorded in the trail with
    the counts; returns them. Refused when already erased."""
    user_model = get_user_model()
    with transaction.atomic():
        person = user_model.objects.select_for_update().get(pk=person.pk)
        if is_erased(person):
            raise ErasureRefused("This person's data has already been erased.")
        identifiers = tuple(
            {
                value
                for value in (person.get_username(), person.email, person.get_full_name())
                if value
            }
        )
        erased = hooks.ErasedPerson(user_id=person.pk, when=timezone.now(), identifiers=identifiers)
        counts = hooks.erase_parts(person, erased=erased)
        audit.record(
            actor=actor,
            action="fledge.records.erase",
            obj=person,
            payload={"person": person.pk, "changed": counts},
            subject=person,
        )
    return counts
