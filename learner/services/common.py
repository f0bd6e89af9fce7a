"""What every learner service shares: the error types, the limits and the clock."""

from datetime import datetime

from django.utils import timezone

from base.errors import FledgeError
from catalog.models import CoursePage

from ..models import Enrollment
from ..selectors import LessonAccess

Status = Enrollment.Status
Policy = CoursePage.EnrollmentPolicy

#: The most seconds one heartbeat may add to a lesson's time spent.
MAX_HEARTBEAT_SECONDS = 120


class LearningError(FledgeError):
    """An operation the rules do not allow; the message is shown to the user as is."""


class LessonRefused(LearningError):
    """The lesson's access rules refuse the user: ``access`` is the guard's verdict."""

    status = 403

    def __init__(self, access: LessonAccess):
        super().__init__(access.message or "Enrol in this course first.")
        self.access = access


#: The answer to a quiz form whose submission token is not one the lesson page made.
STALE_QUIZ_FORM = "This quiz form is out of date. Reload the lesson and try again."


def _now(as_of: datetime | None) -> datetime:
    return as_of or timezone.now()
