"""The certificates app's entries in the audit trail, written inside the transaction
of the change they record (the staff download, on its own).

Payloads carry numbers, ids and dates: a reason is in the hashed payload as a keyed
digest, and in Wagtail's history as text.
"""

import audit

from .models import Certificate


def _payload(certificate: Certificate) -> dict:
    return {
        "number": certificate.number,
        "enrollment": certificate.enrollment_id,
        "course": certificate.course_id,
        "issued_at": certificate.issued_at,
        "expires_at": certificate.expires_at,
    }


def issued(certificate: Certificate) -> None:
    """A certificate issued on a completion (by the system)."""
    audit.record(
        actor=None,
        action="fledge.certificate.issue",
        obj=certificate,
        payload=_payload(certificate),
        subject=certificate.user_id,
    )


def revoked(certificate: Certificate, *, by) -> None:
    """A certificate revoked, with the reason, by a member of staff."""
    audit.record(
        actor=by,
        action="fledge.certificate.revoke",
        obj=certificate,
        payload={
            **_payload(certificate),
            "reason_digest": audit.text_digest(certificate.revoked_reason),
        },
        subject=certificate.user_id,
        details={"reason": certificate.revoked_reason},
    )


def reissued(old: Certificate, new: Certificate, *, by, reason: str) -> None:
    """A certificate replaced by a new one (the old one revoked in the same change)."""
    audit.record(
        actor=by,
        action="fledge.certificate.reissue",
        obj=new,
        payload={
            **_payload(new),
            "replaces": old.number,
            "reason_digest": audit.text_digest(reason),
        },
        subject=new.user_id,
        details={"reason": reason},
    )


def downloaded(certificate: Certificate, *, by) -> None:
    """A certificate's PDF downloaded by someone other than its holder (staff)."""
    if by.pk == certificate.user_id:
        return
    audit.record(
        actor=by,
        action="fledge.certificate.download",
        obj=certificate,
        payload={"number": certificate.number},
        subject=certificate.user_id,
    )
