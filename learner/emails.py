"""Emails to learners about their enrolments, queued in the outbox with the change.

Each message has a plain-text and an HTML part rendered from
``templates/learner/emails/<name>.txt`` and ``.html``, and is written to the outbox
(:func:`notifications.services.email_queue`) in the transaction that changes the
enrolment: it goes out once that commits, once, even if the broker or a worker fails.
"""

from base.links import absolute_url
from notifications.services import email_queue

from .models import Enrollment


def send_enrollment_email(enrollment: Enrollment, name: str, subject: str) -> None:
    """Queue ``name`` to the enrolment's learner; sent once the transaction commits.

    One message of each kind per enrolment (the key), so a repeated approval or a
    retried request never sends it twice.
    """
    email_queue(
        key=f"enrollment:{enrollment.pk}:{name}",
        recipient=enrollment.user,
        subject=subject,
        template=f"learner/emails/{name}",
        context={
            "enrollment": enrollment,
            "course": enrollment.course,
            "course_url": absolute_url(enrollment.course.url or "/"),
            "dashboard_url": absolute_url("/dashboard/"),
        },
    )


def send_request_received(enrollment: Enrollment) -> None:
    send_enrollment_email(
        enrollment, "request_received", f"We received your request: {enrollment.course.title}"
    )


def send_request_approved(enrollment: Enrollment) -> None:
    subject = (
        f"You're in: {enrollment.course.title}"
        if enrollment.status == Enrollment.Status.ACTIVE
        else f"Approved and on the waitlist: {enrollment.course.title}"
    )
    send_enrollment_email(enrollment, "request_approved", subject)


def send_request_rejected(enrollment: Enrollment) -> None:
    send_enrollment_email(
        enrollment, "request_rejected", f"Your request was not approved: {enrollment.course.title}"
    )


def send_waitlist_promoted(enrollment: Enrollment) -> None:
    send_enrollment_email(
        enrollment, "waitlist_promoted", f"A place opened up: {enrollment.course.title}"
    )
