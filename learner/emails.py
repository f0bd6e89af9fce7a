"""Emails to learners about their enrolments, sent after the transaction commits.

Each message has a plain-text and an HTML part rendered from
``templates/learner/emails/<name>.txt`` and ``.html``.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from home.transactions import after_commit

from .models import Enrollment


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def send_enrollment_email(enrollment: Enrollment, name: str, subject: str) -> None:
    """Send ``name`` to the enrolment's learner once the current transaction commits."""
    user = enrollment.user
    if not user.email:
        return
    context = {
        "enrollment": enrollment,
        "user": user,
        "course": enrollment.course,
        "course_url": _absolute(enrollment.course.url or "/"),
        "dashboard_url": _absolute("/dashboard/"),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }
    text = render_to_string(f"learner/emails/{name}.txt", context)
    html = render_to_string(f"learner/emails/{name}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    after_commit(message.send)


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
