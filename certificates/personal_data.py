"""Certificates' part of a person's data download and evidence pack (records.hooks):
each certificate with its number, dates, status and public verification URL."""

from .models import Certificate
from .rendering import verification_url


def _rows(person, *, course_ids=()) -> list[dict]:
    certificates = Certificate.objects.filter(user=person).select_related("replaces")
    if course_ids:
        certificates = certificates.filter(course_id__in=course_ids)
    return [
        {
            "object": f"certificates.certificate:{certificate.pk}",
            "number": certificate.number,
            "course_id": certificate.course_id,
            "course": certificate.course_title,
            "holder_name": certificate.holder_name,
            "issued_at": certificate.issued_at,
            "expires_at": certificate.expires_at,
            "status": certificate.status_label,
            "revoked_at": certificate.revoked_at,
            "revoked_reason": certificate.revoked_reason,
            "replaces": certificate.replaces.number if certificate.replaces else "",
            "verification_url": verification_url(certificate.verification_code),
        }
        for certificate in certificates.order_by("issued_at", "pk")
    ]


def export_person(person) -> dict:
    """Every certificate issued to ``person``, revoked or not."""
    return {"certificates/certificates": _rows(person)}


def person_evidence(person, *, scope) -> dict:
    """``person``'s certificates within ``scope``'s courses."""
    return {"certificates": _rows(person, course_ids=scope.course_ids)}
