"""The learner app's entries in the audit trail, written by :mod:`learner.services`
inside the transaction of the change they record.

Payloads carry ids, statuses and scores only (no names, no free text): see
:func:`audit.record`. The learner is the entry's subject; the actor is whoever made
the change (the learner, an instructor, or nobody for the waitlist's promotion).
"""

import audit

from .models import Enrollment, QuizAttempt


def enrollment_changed(enrollment: Enrollment, action: str, *, by=None) -> None:
    """An enrolment requested, approved, rejected, withdrawn or promoted (``action`` is
    the last part of ``fledge.enrollment.<action>``); ``by`` defaults to the learner,
    ``False`` for the system."""
    payload = {"course": enrollment.course_id, "status": enrollment.status}
    if enrollment.reason and action == "reject":
        payload["reason_digest"] = audit.text_digest(enrollment.reason)
    audit.record(
        actor=None if by is False else (by or enrollment.user_id),
        action=f"fledge.enrollment.{action}",
        obj=enrollment,
        payload=payload,
        subject=enrollment.user_id,
    )


def lesson_completed(enrollment: Enrollment, lesson_id: int, revision_id: int | None) -> None:
    """A lesson marked complete (a quiz lesson completes with its attempt's entry)."""
    audit.record(
        actor=enrollment.user_id,
        action="fledge.lesson.complete",
        obj=enrollment,
        payload={"lesson": lesson_id, "lesson_revision": revision_id},
        subject=enrollment.user_id,
    )


def quiz_graded(attempt: QuizAttempt) -> None:
    """A graded quiz attempt, with its score; a pass also completes the lesson."""
    audit.record(
        actor=attempt.enrollment.user_id,
        action="fledge.quiz.submit",
        obj=attempt,
        payload={
            "enrollment": attempt.enrollment_id,
            "lesson": attempt.lesson_id,
            "number": attempt.number,
            "score": str(attempt.score),
            "pass_mark": attempt.pass_mark,
            "passed": attempt.passed,
        },
        subject=attempt.enrollment.user_id,
    )


def course_completed(enrollment: Enrollment) -> None:
    """The course completed, on the course revision it was completed on."""
    audit.record(
        actor=enrollment.user_id,
        action="fledge.course.complete",
        obj=enrollment,
        payload={
            "course": enrollment.course_id,
            "course_revision": enrollment.course_revision_id,
            "lessons_completed": enrollment.lessons_completed,
        },
        subject=enrollment.user_id,
    )
