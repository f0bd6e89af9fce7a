"""This app's part of a person's erasure and of the retention purge (records.hooks).

An erased person's certificates stay, with their numbers, dates and status, so they
still count and still verify; the name printed on them becomes the placeholder, which
the verification page shows as "Holder erased". Their PDFs, which print the name, are
deleted (after the commit, so a rollback keeps them); a download renders a new one.
"""

from datetime import datetime

import audit
from base.transactions import after_commit

from .models import Certificate


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
        "certificates.history": audit.redact_details(
            model=Certificate, ids=ids, replacement=erased.redacted
        ),
    }


def purge_before(*, cutoff: datetime) -> dict[str, int]:
    """Nothing: certificates are kept as long as they can be verified."""
    return {}
