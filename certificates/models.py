"""Certificates: one per completed enrolment, with a public verification code.

A certificate records what it certifies as it was printed (the holder's name and the
course title), so renaming a course or a person later does not change a certificate
already issued; a reissue prints the current names under a new number.
"""

import secrets
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .expiry import last_valid_day
from .storage import private_storage

#: The fixed start of every certificate number: ``FLG-2026-000123``.
NUMBER_PREFIX = "FLG"
#: Digits of the yearly sequence in a number (more once a year passes 999,999).
NUMBER_DIGITS = 6
#: A certificate number as printed, for telling numbers from ids in URLs.
NUMBER_PATTERN = rf"{NUMBER_PREFIX}-\d{{4}}-\d{{{NUMBER_DIGITS},}}"
#: A verification code: URL-safe base64 of random bytes (see :func:`new_verification_code`).
CODE_PATTERN = r"[A-Za-z0-9_-]{16,64}"


def new_verification_code() -> str:
    """An unguessable, URL-safe code: 128 random bits as 22 characters."""
    return secrets.token_urlsafe(16)


def format_number(year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX}-{year:04d}-{sequence:0{NUMBER_DIGITS}d}"


def certificate_pdf_path(instance: "Certificate", filename: str) -> str:
    return f"certificates/{instance.issued_at:%Y}/{filename}"


class CertificateQuerySet(models.QuerySet):
    def with_status(self, status: str, as_of: datetime | None = None) -> "CertificateQuerySet":
        """Certificates whose status at ``as_of`` (default now) is ``status``; the
        database twin of :meth:`Certificate.status_on`."""
        now = as_of or timezone.now()
        revoked = Q(revoked_at__isnull=False, revoked_at__lte=now)
        expired = Q(expires_at__isnull=False, expires_at__lte=now)
        if status == Certificate.Status.REVOKED:
            return self.filter(revoked)
        if status == Certificate.Status.EXPIRED:
            return self.filter(expired).exclude(revoked)
        if status == Certificate.Status.VALID:
            return self.exclude(revoked).exclude(expired)
        return self.none()


class Certificate(models.Model):
    """Proof that a learner completed a course.

    Rules: issued once per completed enrolment (the *original*, ``replaces`` empty,
    unique per enrolment); a reissue is a new certificate with a new number that
    ``replaces`` the old one, which is revoked, and each certificate is replaced at
    most once, so an enrolment's certificates form one chain whose last link is
    current (a replaced certificate cannot be deleted on its own, as the chain is
    history; deleting the enrolment deletes it all). Status is computed, never
    stored: revoked, else expired once
    ``expires_at`` has passed, else valid. The PDF is rendered in the background
    into private storage; ``rendered_version`` says what it was rendered from, so a
    file that no longer matches (new template, branding, names or status) is stale.
    """

    class Status(models.TextChoices):
        VALID = "valid", "Valid"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    enrollment = models.ForeignKey(
        "learner.Enrollment", on_delete=models.CASCADE, related_name="certificates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    # No index of its own: the index of (course, issued_at) starts with it.
    course = models.ForeignKey(
        "catalog.CoursePage", on_delete=models.CASCADE, related_name="certificates", db_index=False
    )
    number = models.CharField(max_length=32, unique=True, help_text="e.g. FLG-2026-000123")
    verification_code = models.CharField(
        max_length=64, unique=True, default=new_verification_code, editable=False
    )
    holder_name = models.CharField(max_length=300, help_text="The name as printed.")
    course_title = models.CharField(max_length=255, help_text="The course title as printed.")
    issued_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Blank: never expires.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="replaced_by",
        help_text="The certificate this one was reissued for.",
    )
    pdf = models.FileField(
        storage=private_storage, upload_to=certificate_pdf_path, blank=True, max_length=200
    )
    rendered_at = models.DateTimeField(null=True, blank=True)
    rendered_version = models.CharField(
        max_length=80,
        blank=True,
        help_text="The template version and a hash of what the PDF was rendered from.",
    )
    render_failed_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the render sweep last failed to render this PDF: the sweep takes "
        "certificates it has not tried first, so a few that always fail cannot hold up "
        "the rest.",
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=Q(replaces__isnull=True),
                name="certificates_one_original_per_enrollment",
            )
        ]
        indexes = [
            models.Index(fields=["course", "issued_at"]),
            # "Replaced by" (the reverse of ``replaces``) is looked up by value, but
            # almost every certificate has no ``replaces``: SQLite's statistics then rate
            # the column's unique index as matching every row and it scans all
            # certificates once per certificate listed (35 ms for a holder's list at
            # 20,000). This index holds only the reissues, so the lookup uses it.
            models.Index(
                fields=["replaces"],
                condition=Q(replaces__isnull=False),
                name="certificate_reissue_lookup",
            ),
        ]
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} · {self.holder_name} · {self.course_title}"

    def status_on(self, as_of: datetime | None = None) -> "Certificate.Status":
        """The status at ``as_of`` (default: now)."""
        now = as_of or timezone.now()
        if self.revoked_at is not None and self.revoked_at <= now:
            return self.Status.REVOKED
        if self.expires_at is not None and self.expires_at <= now:
            return self.Status.EXPIRED
        return self.Status.VALID

    @property
    def status(self) -> "Certificate.Status":
        return self.status_on()

    @property
    def valid_until(self) -> date | None:
        """The last day the certificate is valid (None: never expires), in the site's
        time zone: what the PDF, the pages and the exports show as its expiry. It is
        valid to the end of that day; ``expires_at`` is the midnight after it (see
        :mod:`certificates.expiry`)."""
        return last_valid_day(self.expires_at) if self.expires_at is not None else None

    @property
    def successor(self) -> "Certificate | None":
        """The certificate reissued in this one's place, if any."""
        try:
            return self.replaced_by
        except Certificate.DoesNotExist:
            return None

    @property
    def status_label(self) -> str:
        return self.status.label

    @property
    def successor_number(self) -> str:
        return self.successor.number if self.successor else ""


class CertificateSequence(models.Model):
    """The last certificate number handed out in a year. Numbering locks this row, so
    parallel issues never share a number, and restarts at 1 each year."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"
