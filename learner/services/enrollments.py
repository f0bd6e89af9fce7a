"""Enrolment: request, approval, rejection, withdrawal and the waitlist.

Capacity is protected by locking the course's page row for the length of any
transaction that may take or free a seat (enrol, approve, withdraw, promote), so
parallel requests never over-fill a course. On SQLite, where row locks do not exist,
``transaction_mode=IMMEDIATE`` serialises writers instead.
"""

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction

from wagtail.models import Page

from catalog.models import CoursePage

from .. import audit_events, emails
from ..models import Enrollment
from .common import (
    LearningError,
    Policy,
    Status,
    _now,
)


def _lock_course(course: CoursePage) -> None:
    # The page row stands for the course's seats: every seat change takes this lock.
    Page.objects.select_for_update().filter(pk=course.pk).first()


def _seats_taken(course: CoursePage) -> int:
    return Enrollment.objects.filter(course=course, status=Status.ACTIVE).count()


def _has_free_seat(course: CoursePage) -> bool:
    return course.capacity is None or _seats_taken(course) < course.capacity


@transaction.atomic
def enrollment_request(
    *,
    user: AbstractBaseUser,
    course: CoursePage,
    as_of: datetime | None = None,
    by: AbstractBaseUser | None = None,
) -> Enrollment:
    """Enrol ``user`` in ``course`` according to its policy; ``by`` is who asked, when
    not the learner (an instructor enrolling them through the API), for the audit trail.

    Open: active, or waitlisted when full (refused when full without a waitlist).
    Approval required: pending until an instructor decides. Closed: refused.
    Asking again while an enrolment is open returns that enrolment unchanged.
    """
    now = _now(as_of)
    _lock_course(course)
    course = CoursePage.objects.get(pk=course.pk)
    existing = Enrollment.objects.filter(
        user=user, course=course, status__in=Enrollment.OPEN_STATUSES
    ).first()
    if existing:
        return existing
    if not course.live:
        raise LearningError("This course is not available.")
    if course.enrollment_policy == Policy.CLOSED:
        raise LearningError("This course is not taking new enrolments.")

    enrollment = Enrollment(user=user, course=course, requested_at=now)
    if course.enrollment_policy == Policy.APPROVAL:
        enrollment.status = Status.PENDING
    elif _has_free_seat(course):
        enrollment.status = Status.ACTIVE
        enrollment.activated_at = now
    elif course.waitlist_enabled:
        enrollment.status = Status.WAITLISTED
    else:
        raise LearningError("This course is full.")
    enrollment.full_clean()
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:
        # A parallel request by the same learner won the race; theirs is the enrolment.
        return Enrollment.objects.get(user=user, course=course, status__in=Enrollment.OPEN_STATUSES)
    audit_events.enrollment_changed(enrollment, "request", by=by)
    if enrollment.status == Status.PENDING:
        emails.send_request_received(enrollment)
    return enrollment


@transaction.atomic
def enrollment_approve(
    *, enrollment: Enrollment, by: AbstractBaseUser, as_of: datetime | None = None
) -> Enrollment:
    """Approve a pending request: active when a seat is free, otherwise waitlisted
    (refused when the course is full and has no waitlist). The learner is emailed."""
    now = _now(as_of)
    _lock_course(enrollment.course)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status != Status.PENDING:
        raise LearningError("Only requests awaiting approval can be approved.")
    if _has_free_seat(enrollment.course):
        enrollment.status = Status.ACTIVE
        enrollment.activated_at = now
    elif enrollment.course.waitlist_enabled:
        enrollment.status = Status.WAITLISTED
    else:
        raise LearningError("The course is full: free a seat or raise its capacity first.")
    enrollment.decided_by = by
    enrollment.save()
    audit_events.enrollment_changed(enrollment, "approve", by=by)
    emails.send_request_approved(enrollment)
    return enrollment


@transaction.atomic
def enrollment_reject(
    *, enrollment: Enrollment, by: AbstractBaseUser, reason: str, as_of: datetime | None = None
) -> Enrollment:
    """Turn down a pending request with a reason the learner is emailed."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status != Status.PENDING:
        raise LearningError("Only requests awaiting approval can be rejected.")
    reason = reason.strip()
    if not reason:
        raise LearningError("Give the learner a reason.")
    enrollment.status = Status.REJECTED
    enrollment.reason = reason[:2000]
    enrollment.decided_by = by
    enrollment.ended_at = _now(as_of)
    enrollment.save()
    audit_events.enrollment_changed(enrollment, "reject", by=by)
    emails.send_request_rejected(enrollment)
    return enrollment


@transaction.atomic
def enrollment_withdraw(*, enrollment: Enrollment, as_of: datetime | None = None) -> Enrollment:
    """Leave a course (or a waitlist, or withdraw a request). A freed seat goes to the
    oldest waitlisted learner."""
    _lock_course(enrollment.course)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if not enrollment.is_open:
        raise LearningError("This enrolment has already ended.")
    freed_seat = enrollment.status == Status.ACTIVE
    enrollment.status = Status.WITHDRAWN
    enrollment.ended_at = _now(as_of)
    enrollment.save()
    audit_events.enrollment_changed(enrollment, "withdraw")
    if freed_seat:
        waitlist_promote(course=enrollment.course, as_of=as_of)
    return enrollment


@transaction.atomic
def waitlist_promote(*, course: CoursePage, as_of: datetime | None = None) -> list[Enrollment]:
    """Fill free seats from the waitlist, oldest request first, and email each learner."""
    now = _now(as_of)
    _lock_course(course)
    course = CoursePage.objects.get(pk=course.pk)
    promoted = []
    waiting = Enrollment.objects.filter(course=course, status=Status.WAITLISTED).order_by(
        "requested_at", "pk"
    )
    for enrollment in waiting:
        if not _has_free_seat(course):
            break
        enrollment.status = Status.ACTIVE
        enrollment.activated_at = now
        enrollment.save(update_fields=["status", "activated_at"])
        audit_events.enrollment_changed(enrollment, "promote", by=False)
        emails.send_waitlist_promoted(enrollment)
        promoted.append(enrollment)
    return promoted


# --- Progress -----------------------------------------------------------------------
