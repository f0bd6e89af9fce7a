"""Quiz submissions: graded once per submission token, under the enrolment's lock."""

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from base.prepared import Marker, PreparedQuery
from lessons.models import LessonPage

from .. import audit_events
from ..grading import InvalidSubmission, grade, parse_answers
from ..models import Enrollment, LessonProgress, QuizAttempt
from ..selectors import lesson_action_access, quiz_pass_mark
from .common import (
    STALE_QUIZ_FORM,
    LearningError,
    LessonRefused,
    Status,
    _now,
)
from .progress import _complete_lesson, _locked, _save_progress


@transaction.atomic
def quiz_submit(
    *,
    enrollment: Enrollment,
    lesson: LessonPage,
    data: dict[str, list[str]],
    token: str,
    as_of: datetime | None = None,
) -> QuizAttempt:
    """Grade a quiz submission and record it as the next attempt.

    The same form submitted again (same ``token``) returns the attempt it already
    made. Bad answers or tokens raise :class:`~learner.grading.InvalidSubmission` and
    record nothing; so does a submission past the attempt limit (:class:`LearningError`).
    Passing completes the lesson.
    """
    return _attempt(_locked(enrollment, lesson=lesson), lesson, data, token, _now(as_of))


@transaction.atomic
def quiz_submit_as(
    *,
    user: AbstractBaseUser,
    lesson: LessonPage,
    data: dict[str, list[str]],
    token: str,
    as_of: datetime | None = None,
) -> QuizAttempt:
    """:func:`quiz_submit` by ``user`` (the quiz view's request): the lesson's access
    rules (:func:`~learner.selectors.lesson_action_access`) are checked in this
    transaction on the enrolment as read under its lock, so one read of it both lets
    the learner in and starts the submit. :class:`LessonRefused` when they refuse.
    """
    access = lesson_action_access(user=user, lesson=lesson, lock=True)
    enrollment = access.state.enrollment if access.allowed else None
    if enrollment is None:
        raise LessonRefused(access)
    # Their own enrolment in the lesson's course: both as the request has read them.
    enrollment.user, enrollment.course = user, lesson.course
    return _attempt(enrollment, lesson, data, token, _now(as_of))


#: Compiled once (``base.prepared``).
_attempts_or_replay = PreparedQuery(
    lambda lesson, token, enrollment: (
        QuizAttempt.objects.filter(
            Q(lesson=lesson) | Q(submission_token=token), enrollment=enrollment
        )
        .defer("answers", "graded")
        .order_by()
    ),
    lesson=Marker.number(),
    token=Marker.uuid(),
    enrollment=Marker.number(),
)


def _attempt(
    enrollment: Enrollment,
    lesson: LessonPage,
    data: dict[str, list[str]],
    token: str,
    now: datetime,
) -> QuizAttempt:
    """:func:`quiz_submit` for an enrolment locked in this transaction, with its user."""
    try:
        token = QuizAttempt._meta.get_field("submission_token").to_python(token)
    except ValidationError:
        raise InvalidSubmission(STALE_QUIZ_FORM) from None
    # One read, after the lock so that it sees a double submit that just committed:
    # this lesson's attempts, and the attempt this form made if it was sent before.
    # Unordered: the model's ordering would join the enrolment for nothing.
    attempts = _attempts_or_replay(lesson=lesson.pk, token=token, enrollment=enrollment.pk)
    replay = next((a for a in attempts if a.submission_token == token), None)
    if replay:
        return replay
    if enrollment.status != Status.ACTIVE:
        raise LearningError("Quizzes can be taken only while you are enrolled in the course.")
    quiz = lesson.quiz
    if quiz is None:
        raise LearningError("This lesson has no quiz.")
    previous = [attempt for attempt in attempts if attempt.lesson_id == lesson.pk]
    if any(attempt.passed for attempt in previous):
        raise LearningError("You have already passed this quiz.")
    count = len(previous)
    limit = quiz.value["max_attempts"] or 0
    if limit and count >= limit:
        raise LearningError("You have used every attempt at this quiz.")
    answers = parse_answers(quiz.value, data)
    pass_mark = quiz_pass_mark(lesson=lesson, quiz_value=quiz.value)
    result = grade(quiz.value, answers, pass_mark=pass_mark)
    attempt = QuizAttempt.objects.create(
        enrollment=enrollment,
        lesson=lesson,
        quiz_block_id=str(quiz.id),
        number=count + 1,
        submission_token=token,
        submitted_at=now,
        answers=answers,
        graded=result.graded,
        score=result.score,
        pass_mark=pass_mark,
        passed=result.passed,
    )
    audit_events.quiz_graded(attempt)
    enrollment.last_activity_at = now
    enrollment.last_lesson = lesson
    fields = ["last_activity_at", "last_lesson"]
    completed = None
    if result.passed:
        completed = _complete_lesson(enrollment, lesson, now, viewed=True)
    else:
        LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).update(
            last_viewed_at=now
        )
    if completed is None:
        enrollment.save(update_fields=fields)
    else:
        _save_progress(enrollment, completed, now, fields=fields)
    return attempt
