"""When a certificate expires: calendar-month arithmetic in the site's time zone."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from compliance.scheduling import add_months
from compliance.selectors import completion_expiry
from learner.models import Enrollment

__all__ = ["add_months", "certificate_expiry"]


def certificate_expiry(
    enrollment: Enrollment, *, issued_at: datetime | None = None
) -> datetime | None:
    """When a certificate for ``enrollment`` stops being valid, or None for never.

    When the completion met a recurring training requirement, the certificate lasts as
    long as that cycle does: through the last day the completion counts (the renewal's
    due date), so it expires at the start of the next day in the site's time zone.
    Otherwise the course decides: ``certificate_validity_months`` after the course was
    completed (or after ``issued_at`` when the enrolment records no completion time),
    counted in calendar months on the site's local calendar, at the same local time of
    day; blank validity means no expiry.

    Certificates read compliance (never the other way round); compliance's receiver
    runs first because the app comes first in INSTALLED_APPS.
    """
    cycle_end = completion_expiry(enrollment)
    if cycle_end is not None:
        next_day = datetime.combine(cycle_end + timedelta(days=1), time.min)
        return timezone.make_aware(next_day)
    months = enrollment.course.certificate_validity_months
    if not months:
        return None
    start = enrollment.completed_at or issued_at or timezone.now()
    local = timezone.localtime(start)
    return add_months(local, months)
