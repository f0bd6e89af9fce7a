"""Operations that change learner state. Each runs in one transaction.

One module per subject, re-exported here so callers write ``services.enrollment_request``:
``enrollments`` (request, approve, reject, withdraw, the waitlist), ``progress`` (views,
time, lesson and course completion), ``quizzes`` (graded submissions) and ``common``
(the error types and limits they share).
"""

from .common import (
    MAX_HEARTBEAT_SECONDS,
    STALE_QUIZ_FORM,
    LearningError,
    LessonRefused,
    Policy,
    Status,
)
from .enrollments import (
    enrollment_approve,
    enrollment_reject,
    enrollment_request,
    enrollment_withdraw,
    waitlist_promote,
)
from .progress import (
    course_complete,
    lesson_complete,
    lesson_time_add,
    lesson_view,
    progress_recompute,
)
from .quizzes import quiz_submit, quiz_submit_as

__all__ = [
    "MAX_HEARTBEAT_SECONDS",
    "STALE_QUIZ_FORM",
    "LearningError",
    "LessonRefused",
    "Policy",
    "Status",
    "course_complete",
    "enrollment_approve",
    "enrollment_reject",
    "enrollment_request",
    "enrollment_withdraw",
    "lesson_complete",
    "lesson_time_add",
    "lesson_view",
    "progress_recompute",
    "quiz_submit",
    "quiz_submit_as",
    "waitlist_promote",
]
