"""When a certificate expires: calendar-month arithmetic in the site's time zone."""

import calendar
from datetime import date, datetime

from django.utils import timezone

from learner.models import Enrollment


def add_months(value: date, months: int) -> date:
    """``value`` plus ``months`` calendar months. A day that the target month lacks
    becomes its last day: 31 January + 1 month is 28 (or 29) February, and 29 February
    + 12 months is 28 February. A ``datetime`` keeps its time and time zone."""
    index = value.year * 12 + (value.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(value.day, calendar.monthrange(year, month)[1])
    return value.replace(year=year, month=month, day=day)


def certificate_expiry(
    enrollment: Enrollment, *, issued_at: datetime | None = None
) -> datetime | None:
    """When a certificate for ``enrollment`` stops being valid, or None for never.

    Today the course decides: ``certificate_validity_months`` after the course was
    completed (or after ``issued_at`` when the enrolment records no completion time),
    counted in calendar months on the site's local calendar, at the same local time of
    day; blank validity means no expiry.

    This is the one place the rule lives. Compliance will later supply the recurrence
    of a training requirement (certify "every 12 months" for a required course); extend
    this function to consult it (for example through a hook or a setting naming a
    callable), rather than computing expiry anywhere else. Certificates must not
    import compliance.
    """
    months = enrollment.course.certificate_validity_months
    if not months:
        return None
    start = enrollment.completed_at or issued_at or timezone.now()
    local = timezone.localtime(start)
    return add_months(local, months)
