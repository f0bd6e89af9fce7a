"""Operations that change certificates. Each runs in one transaction, except that
rendering draws the PDF before its short transaction (see :func:`certificate_render`).

- :func:`certificate_issue` — once per completed enrolment, from the ``course_completed``
  receiver, whatever completed the course. Calling it again returns the certificate
  already issued.
- :func:`certificate_revoke` and :func:`certificate_reissue` — staff actions, with a
  reason and who did it.
- :func:`certificate_render` — the PDF into private storage; skipped when the stored
  file is current, so the task that calls it may run any number of times.
- :func:`certificates_mark_stale` — the admin's bulk "re-render".
- :func:`certificates_render_pending` — the per-minute sweep of PDFs never rendered.
"""

import logging
import time
from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from base.errors import FledgeError
from base.people import person_name
from base.transactions import after_commit
from learner.models import Enrollment

# tasks imports this module as well: the two only use each other at call time.
from . import audit_events, tasks
from .expiry import certificate_expiry
from .models import Certificate, CertificateSequence, format_number, new_verification_code
from .rendering import document_for, render_pdf
from .selectors import current_certificate, is_stale

logger = logging.getLogger(__name__)

#: Longest revocation reason kept.
MAX_REASON_LENGTH = 2000


class CertificateError(FledgeError):
    """An operation the rules do not allow; the message is shown to the user as is."""


def _next_number(issued_at: datetime) -> str:
    """The next number of the issue year (site time), e.g. ``FLG-2026-000124``.

    The year's counter row is locked until the transaction ends, so parallel issues
    queue for their numbers instead of colliding; a rolled-back issue returns its
    number, so numbers have no gaps in normal operation.
    """
    year = timezone.localtime(issued_at).year
    return format_number(year, _count_up(year))


#: The counter's upsert: the year's row created at 1 or counted up, and the number
#: read back, in one statement (PostgreSQL; SQLite from 3.35), which also takes the
#: row's lock. Both spell it the same.
_COUNT_UP = (
    "INSERT INTO {table} ({year}, {last}) VALUES (%s, 1) "
    "ON CONFLICT ({year}) DO UPDATE SET {last} = {table}.{last} + 1 "
    "RETURNING {last}"
)


def _count_up(year: int) -> int:
    """Count the year's certificates up by one and return the new count."""
    if (
        connection.vendor in {"postgresql", "sqlite"}
        and connection.features.can_return_columns_from_insert
    ):
        quote = connection.ops.quote_name
        sql = _COUNT_UP.format(
            table=quote(CertificateSequence._meta.db_table),
            year=quote("year"),
            last=quote("last_number"),
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [year])
            return cursor.fetchone()[0]
    CertificateSequence.objects.get_or_create(year=year)
    CertificateSequence.objects.filter(year=year).update(last_number=F("last_number") + 1)
    return CertificateSequence.objects.get(year=year).last_number


def _enqueue_render(certificate: Certificate) -> None:
    """Render the PDF in the background once the transaction has committed. A failure
    there (when tasks run in-process) is logged, not raised: the file is rendered
    again on download."""
    after_commit(tasks.render_certificate.delay, certificate.pk)


def _new_certificate(
    *, enrollment: Enrollment, issued_at: datetime, replaces: Certificate | None = None
) -> Certificate:
    certificate = Certificate(
        enrollment=enrollment,
        user=enrollment.user,
        course=enrollment.course,
        number=_next_number(issued_at),
        verification_code=new_verification_code(),
        holder_name=person_name(enrollment.user)[:300],
        course_title=enrollment.course.title,
        issued_at=issued_at,
        expires_at=certificate_expiry(enrollment, issued_at=issued_at),
        replaces=replaces,
    )
    # Field checks only. The related rows were just read under a lock, so their
    # existence is not asked again; uniqueness (the number, the code, one original per
    # enrolment) is the database's to guard, and callers save in a savepoint and
    # answer its IntegrityError.
    certificate.full_clean(
        exclude=RELATED_FIELDS, validate_unique=False, validate_constraints=False
    )
    return certificate


#: The certificate's foreign keys, which :func:`_new_certificate` fills from rows it has.
RELATED_FIELDS = ["enrollment", "user", "course", "replaces", "revoked_by"]


# No savepoint of its own inside the completion's transaction (the insert has one).
@transaction.atomic(savepoint=False)
def certificate_issue(
    *, enrollment: Enrollment, as_of: datetime | None = None, locked: bool = False
) -> Certificate | None:
    """Issue the certificate of a completed enrolment, once, and queue its PDF.

    Returns None when the course issues no certificates or the enrolment is not
    completed. When the enrolment already has a certificate (a second completion
    signal, a retried job, a parallel request), that one is returned and nothing is
    created: the enrolment row is locked while checking, and a unique constraint on
    the original certificate of an enrolment backs the check up.

    ``locked``: the caller holds the enrolment's row lock in this transaction and
    passes it as read under that lock (its learner and course are used as loaded
    there). That is how
    ``course_completed`` is sent (see :mod:`learner.signals`), for an enrolment that
    has just become completed, so that none of it is read again and no certificate is
    looked for first: the constraint alone answers the case where one exists.
    """
    if not locked:
        enrollment = (
            Enrollment.objects.select_for_update()
            .select_related("course", "user")
            .get(pk=enrollment.pk)
        )
    if enrollment.status != Enrollment.Status.COMPLETED:
        return None
    if not locked:
        existing = current_certificate(enrollment=enrollment)
        if existing is not None:
            return existing
    if not enrollment.course.issues_certificate:
        return None
    try:
        # The number is drawn inside the savepoint, so a refused certificate gives its
        # number back.
        with transaction.atomic():
            certificate = _new_certificate(enrollment=enrollment, issued_at=as_of or timezone.now())
            certificate.save()
    except IntegrityError:
        # It exists already: issued before, or by another transaction first (where
        # row locks do not serialise us).
        return current_certificate(enrollment=enrollment)
    audit_events.issued(certificate)
    _enqueue_render(certificate)
    logger.info("Issued certificate %s to user %s", certificate.number, certificate.user_id)
    return certificate


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError("Give a reason: it is kept with the certificate.")
    return reason[:MAX_REASON_LENGTH]


@transaction.atomic
def certificate_revoke(
    *,
    certificate: Certificate,
    by: AbstractBaseUser,
    reason: str,
    as_of: datetime | None = None,
) -> Certificate:
    """Revoke a certificate, recording why and by whom. Its verification page says
    "revoked" from then on, and its PDF is rendered again with a "revoked" stamp."""
    reason = _clean_reason(reason)
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise CertificateError(f"Certificate {certificate.number} is already revoked.")
    certificate.revoked_at = as_of or timezone.now()
    certificate.revoked_reason = reason
    certificate.revoked_by = by
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    audit_events.revoked(certificate, by=by)
    _enqueue_render(certificate)
    return certificate


@transaction.atomic
def certificate_reissue(
    *,
    certificate: Certificate,
    by: AbstractBaseUser,
    reason: str,
    as_of: datetime | None = None,
) -> Certificate:
    """Replace a certificate with a new one under a new number and code, e.g. to
    correct the holder's name; returns the new certificate.

    The new one prints the holder's and course's current names; its expiry is worked
    out again from the completion (:func:`~certificates.expiry.certificate_expiry`).
    The old one is revoked with the reason (unless already revoked) and points to its
    replacement. A certificate is replaced at most once: reissue the current one.
    """
    reason = _clean_reason(reason)
    now = as_of or timezone.now()
    old = (
        Certificate.objects.select_for_update()
        .select_related("enrollment__course", "enrollment__user")
        .get(pk=certificate.pk)
    )
    if old.successor is not None:
        raise CertificateError(
            f"Certificate {old.number} was already replaced by {old.successor.number}."
        )
    if old.revoked_at is None:
        old.revoked_at = now
        old.revoked_reason = f"Reissued: {reason}"[:MAX_REASON_LENGTH]
        old.revoked_by = by
        old.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    try:
        with transaction.atomic():  # a refused replacement gives its number back
            new = _new_certificate(enrollment=old.enrollment, issued_at=now, replaces=old)
            new.save()
    except IntegrityError as error:
        raise CertificateError(f"Certificate {old.number} was just replaced.") from error
    audit_events.reissued(old, new, by=by, reason=reason)
    _enqueue_render(old)
    _enqueue_render(new)
    return new


def certificate_render(*, certificate: Certificate, force: bool = False) -> Certificate:
    """Render the certificate's PDF into private storage, unless the stored one is
    current (``force`` renders anyway); returns the certificate with its file.

    The slow part, WeasyPrint, runs outside any transaction; the file is then stored
    and recorded in one short transaction that locks the row and checks again, so
    parallel renders of one certificate (the task and a download) keep one file. The
    file it replaces is deleted after the commit.
    """
    certificate = Certificate.objects.select_related("course").get(pk=certificate.pk)
    document = document_for(certificate)
    version = document.version
    if not force and not is_stale(certificate=certificate, version=version):
        return certificate
    data = render_pdf(document)
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if not force and not is_stale(certificate=locked, version=version):
            return locked
        previous = locked.pdf.name
        locked.pdf.save(f"{locked.number}-{version[-12:]}.pdf", ContentFile(data), save=False)
        locked.rendered_at = timezone.now()
        locked.rendered_version = version
        locked.save(update_fields=["pdf", "rendered_at", "rendered_version"])
        if previous and previous != locked.pdf.name:
            storage = locked.pdf.storage
            after_commit(storage.delete, previous)
    return locked


@transaction.atomic
def certificates_mark_stale(*, certificates: Iterable[Certificate]) -> int:
    """Mark PDFs stale and queue them to be rendered again; returns how many.

    Marking is immediate, so a download in the meantime renders a fresh file itself.
    """
    ids = [certificate.pk for certificate in certificates]
    Certificate.objects.filter(pk__in=ids).update(rendered_version="")
    for pk in ids:
        after_commit(tasks.render_certificate.delay, pk)
    return len(ids)


def certificates_render_pending(*, limit: int, seconds: float | None = None) -> int:
    """Render up to ``limit`` certificates that have no PDF yet or were marked stale
    (their render task was lost or gave up), stopping early once ``seconds`` have
    passed; return how many were rendered. One that fails is logged, stamped
    (``render_failed_at``) and left for the next run.

    Certificates the sweep has not failed on come first, oldest first; then those it
    failed on, the longest ago first. So a batch's worth that always fail (a broken
    logo, a template error) cannot starve the ones behind them. PDFs gone stale by a
    branding or template change are left to their next download (finding them means
    drawing every certificate)."""
    pending = Certificate.objects.filter(Q(pdf="") | Q(rendered_version="")).order_by(
        F("render_failed_at").asc(nulls_first=True), "pk"
    )
    deadline = None if seconds is None else time.monotonic() + seconds
    rendered = 0
    for certificate in pending[:limit]:
        try:
            certificate_render(certificate=certificate)
            rendered += 1
        except Exception:
            logger.exception("Could not render certificate %s", certificate.number)
            Certificate.objects.filter(pk=certificate.pk).update(render_failed_at=timezone.now())
        if deadline is not None and time.monotonic() > deadline:
            break
    return rendered
