"""Reads shared by the certificate pages, the dashboard panel and the admin.

Who may see a certificate:

- its holder;
- staff: superusers, users with the ``certificates.view_certificate`` permission (all
  certificates), and users who may edit the course (that course's certificates).

Who may revoke, reissue or re-render one: superusers, users with
``certificates.change_certificate``, and users who may edit the course.
"""

import re

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet

from catalog.selectors import editable_courses
from learner.models import Enrollment

from .models import CODE_PATTERN, NUMBER_PATTERN, Certificate

_CODE = re.compile(rf"^{CODE_PATTERN}$")
_NUMBER = re.compile(rf"^{NUMBER_PATTERN}$")
#: Ids in URLs are at most this many digits (bigint), so no lookup overflows.
_MAX_ID_DIGITS = 18


def is_valid_code(*, code: str) -> bool:
    """Whether ``code`` has the shape of a verification code (before any lookup)."""
    return bool(_CODE.match(code or ""))


def _with_relations(queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
    return queryset.select_related("course", "user", "revoked_by", "replaces", "replaced_by")


def staff_certificates(*, user: AbstractBaseUser) -> QuerySet[Certificate]:
    """The certificates ``user`` may see as staff (not as a holder)."""
    if not user.is_authenticated or not user.is_active:
        return Certificate.objects.none()
    if user.is_superuser or user.has_perm("certificates.view_certificate"):
        return _with_relations(Certificate.objects.all())
    return _with_relations(Certificate.objects.filter(course__in=editable_courses(user=user)))


def has_staff_access(*, user: AbstractBaseUser) -> bool:
    """Whether ``user`` sees the admin's Certificates menu (cached for the request)."""
    cached = getattr(user, "_fledge_certificate_staff", None)
    if cached is None:
        cached = user.is_authenticated and (
            user.is_superuser
            or user.has_perm("certificates.view_certificate")
            or editable_courses(user=user).exists()
        )
        user._fledge_certificate_staff = cached
    return cached


def can_manage(*, user: AbstractBaseUser, certificate: Certificate) -> bool:
    """Whether ``user`` may revoke, reissue or re-render ``certificate``."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.has_perm("certificates.change_certificate"):
        return True
    return editable_courses(user=user).filter(pk=certificate.course_id).exists()


def manageable_certificates(*, user: AbstractBaseUser) -> QuerySet[Certificate]:
    """The certificates ``user`` may revoke, reissue or re-render."""
    if not user.is_authenticated or not user.is_active:
        return Certificate.objects.none()
    if user.is_superuser or user.has_perm("certificates.change_certificate"):
        return _with_relations(Certificate.objects.all())
    return _with_relations(Certificate.objects.filter(course__in=editable_courses(user=user)))


def current_certificate(*, enrollment: Enrollment) -> Certificate | None:
    """The last link of the enrolment's certificate chain: the one not replaced."""
    return (
        Certificate.objects.filter(enrollment=enrollment, replaced_by__isnull=True)
        .order_by("-pk")
        .first()
    )


def user_certificates(*, user: AbstractBaseUser) -> QuerySet[Certificate]:
    """The holder's certificates, newest first, replaced ones included."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    return _with_relations(Certificate.objects.filter(user=user)).order_by("-issued_at", "-pk")


def dashboard_certificates(*, user: AbstractBaseUser) -> list[Certificate]:
    """The holder's certificates for the dashboard panel, newest first: only the fields
    it shows, and whether each was replaced (``is_replaced``), in one query."""
    if not user.is_authenticated:
        return []
    replaced = Exists(Certificate.objects.filter(replaces=OuterRef("pk")))
    return list(
        Certificate.objects.filter(user=user)
        .only("number", "course_title", "issued_at", "expires_at", "revoked_at")
        .annotate(is_replaced=replaced)
        .order_by("-issued_at", "-pk")
    )


def certificate_by_reference(*, reference: str) -> QuerySet[Certificate]:
    """The certificate a URL names by number (``FLG-2026-000123``) or id, as a
    queryset of at most one; empty for anything else."""
    if _NUMBER.match(reference):
        return Certificate.objects.filter(number=reference)
    if reference.isascii() and reference.isdigit() and len(reference) <= _MAX_ID_DIGITS:
        return Certificate.objects.filter(pk=int(reference))
    return Certificate.objects.none()


def certificate_for_download(*, user: AbstractBaseUser, reference: str) -> Certificate | None:
    """The certificate ``reference`` names, if ``user`` may download it: its holder or
    staff. None for everything else, so a stranger cannot tell it exists."""
    certificate = certificate_by_reference(reference=reference).select_related("course").first()
    if certificate is None or not user.is_authenticated:
        return None
    if certificate.user_id == user.pk:
        return certificate
    if user.is_superuser or user.has_perm("certificates.view_certificate"):
        return certificate
    if editable_courses(user=user).filter(pk=certificate.course_id).exists():
        return certificate
    return None


def is_stale(*, certificate: Certificate, version: str) -> bool:
    """Whether the stored PDF is missing or was rendered from something else."""
    if not certificate.pdf or certificate.rendered_version != version:
        return True
    return not certificate.pdf.storage.exists(certificate.pdf.name)


def certificate_by_code(*, code: str) -> Certificate | None:
    """The certificate with verification code ``code``; None for unknown or malformed
    codes (which never reach the database)."""
    if not is_valid_code(code=code):
        return None
    return Certificate.objects.select_related("replaced_by").filter(verification_code=code).first()
