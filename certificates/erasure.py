"""This app's part of a person's erasure and of the retention purge (records.hooks).

An erased person's certificates stay, with their numbers, dates and status, so they
still count and still verify; the name printed on them becomes the placeholder, which
the verification page shows as "Holder erased". Their PDFs, which print the name, are
deleted (after the commit, so a rollback keeps them); a download renders a new one.
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType

from wagtail.models import ModelLogEntry

from base.transactions import after_commit

from .models import Certificate

#: Keys of free text that this app's entries in Wagtail's history carry (``details``).
FREE_TEXT_KEYS = ("reason",)


def redact_history(ids: list[int], *, redacted: str) -> int:
    """Replace the free text (a revocation or reissue reason) in Wagtail's history of
    the certificates ``ids``; how many entries changed. The hashed trail holds only
    digests of it."""
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Certificate),
        object_id__in=[str(pk) for pk in ids],
    )
    changed = 0
    for entry in entries.only("pk", "data"):
        data = entry.data if isinstance(entry.data, dict) else {}
        if any(data.get(key) for key in FREE_TEXT_KEYS):
            entry.data = {**data, **{key: redacted for key in FREE_TEXT_KEYS if data.get(key)}}
            entry.save(update_fields=["data"])
            changed += 1
    return changed


def erase_person(person, *, erased) -> dict[str, int]:
    """The holder's name becomes ``erased.placeholder`` on each of their certificates,
    a revocation reason becomes ``erased.redacted``, and every stored PDF is deleted."""
    certificates = Certificate.objects.filter(user=person)
    ids = list(certificates.values_list("pk", flat=True))
    files = [name for name in certificates.exclude(pdf="").values_list("pdf", flat=True) if name]
    renamed = certificates.update(
        holder_name=erased.placeholder, pdf="", rendered_at=None, rendered_version=""
    )
    reasons = certificates.exclude(revoked_reason="").update(revoked_reason=erased.redacted)
    storage = Certificate._meta.get_field("pdf").storage
    for name in files:
        after_commit(storage.delete, name)
    return {
        "certificates.certificate": renamed,
        "certificates.revoked_reason": reasons,
        "certificates.pdf": len(files),
        "certificates.history": redact_history(ids, redacted=erased.redacted),
    }


def purge_before(*, cutoff: datetime) -> dict[str, int]:
    """Nothing: certificates are kept as long as they can be verified."""
    return {}
