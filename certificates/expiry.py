"""When a certificate expires: one rule, on the site's calendar.

A certificate is valid **through** its last valid day, to the end of that day in the
site's time zone, and expired from the start of the next: the same rule as a due date
(DESIGN.md, "Compliance") and as a required-training cycle's expiry, so a renewal done by
its due date never leaves a gap. That last day is what every page, export, email and the
PDF print as the expiry; the stored ``Certificate.expires_at`` is the first moment the
certificate is no longer valid (midnight after it), which is what status checks compare.

Completed on 1 December 2026 with 12 months' validity: valid through 1 December 2027,
expired from 00:00 on 2 December 2027.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from compliance.scheduling import add_months, valid_through
from compliance.selectors import completion_expiry
from learner.models import Enrollment

__all__ = [
    "add_months",
    "certificate_expiry",
    "certificate_valid_until",
    "expiry_moment",
    "last_valid_day",
]


def expiry_moment(valid_until: date) -> datetime:
    """The first moment a certificate valid through ``valid_until`` is expired: the
    start of the next day in the site's time zone."""
    return timezone.make_aware(datetime.combine(valid_until + timedelta(days=1), time.min))


def last_valid_day(expires_at: datetime) -> date:
    """The last day a certificate that expires at ``expires_at`` is valid, in the site's
    time zone: the day before midnight ``expires_at`` (the inverse of
    :func:`expiry_moment`), or the day of an older expiry stored at another time."""
    return timezone.localdate(expires_at - timedelta(microseconds=1))


def certificate_valid_until(
    enrollment: Enrollment, *, issued_at: datetime | None = None
) -> date | None:
    """The last day a certificate for ``enrollment`` is valid, or None for never.

    When the completion met a recurring training requirement, the certificate lasts as
    long as that cycle does: through the last day the completion counts there (the
    renewal's due date, ``Assignment.expires_on``). Otherwise the course decides:
    ``certificate_validity_months`` from the site's calendar date of the completion (or
    of ``issued_at`` when the enrolment records no completion time), by
    :func:`compliance.scheduling.valid_through`; blank validity means no expiry.

    Certificates read compliance (never the other way round); compliance's receiver
    runs first because the app comes first in INSTALLED_APPS.
    """
    cycle_end = completion_expiry(enrollment=enrollment)
    if cycle_end is not None:
        return cycle_end
    months = enrollment.course.certificate_validity_months
    if not months:
        return None
    start = enrollment.completed_at or issued_at or timezone.now()
    return valid_through(timezone.localdate(start), months)


def certificate_expiry(
    enrollment: Enrollment, *, issued_at: datetime | None = None
) -> datetime | None:
    """When a certificate for ``enrollment`` stops being valid (``expires_at``), or None
    for never: the midnight after :func:`certificate_valid_until`."""
    valid_until = certificate_valid_until(enrollment, issued_at=issued_at)
    return expiry_moment(valid_until) if valid_until is not None else None
