"""Operations that change learner state. Each runs in one transaction.

Capacity is protected by locking the course's page row for the length of any
transaction that may take or free a seat (enrol, approve, withdraw, promote), so
parallel requests never over-fill a course. On SQLite, where row locks do not exist,
``transaction_mode=IMMEDIATE`` serialises writers instead.
"""

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from wagtail.models import Page

from base.errors import FledgeError
from catalog.models import CoursePage
from catalog.selectors import course_outline
from lessons.models import LessonPage

from . import emails
from .grading import InvalidSubmission, grade, parse_answers
from .models import Enrollment, LessonProgress, QuizAttempt
from .selectors import LessonAccess, lesson_action_access, quiz_pass_mark
from .signals import course_completed

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


def _lock_course(course: CoursePage) -> None:
    # The page row stands for the course's seats: every seat change takes this lock.
    Page.objects.select_for_update().filter(pk=course.pk).first()


def _seats_taken(course: CoursePage) -> int:
    return Enrollment.objects.filter(course=course, status=Status.ACTIVE).count()


def _has_free_seat(course: CoursePage) -> bool:
    return course.capacity is None or _seats_taken(course) < course.capacity


def _now(as_of: datetime | None) -> datetime:
    return as_of or timezone.now()


@transaction.atomic
def enrollment_request(
    *, user: AbstractBaseUser, course: CoursePage, as_of: datetime | None = None
) -> Enrollment:
    """Enrol ``user`` in ``course`` according to its policy.

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
        emails.send_waitlist_promoted(enrollment)
        promoted.append(enrollment)
    return promoted


# --- Progress -----------------------------------------------------------------------


def lesson_view(
    *, enrollment: Enrollment, lesson: LessonPage, as_of: datetime | None = None
) -> None:
    """Record that the learner opened a lesson: first view, count and last activity.

    Two statements on a repeat view, the common case on every lesson page. Each is
    atomic by itself, and a first view racing another (two tabs) still counts both.
    """
    now = _now(as_of)
    if not _count_view(enrollment, lesson, now):
        try:
            with transaction.atomic():
                LessonProgress.objects.create(
                    enrollment=enrollment,
                    lesson=lesson,
                    first_viewed_at=now,
                    last_viewed_at=now,
                    views=1,
                )
        except IntegrityError:  # the other tab created it first
            _count_view(enrollment, lesson, now)
    Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=now, last_lesson=lesson)


def _count_view(enrollment: Enrollment, lesson: LessonPage, now: datetime) -> int:
    return LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).update(
        views=F("views") + 1, last_viewed_at=now
    )


@transaction.atomic
def lesson_time_add(
    *, enrollment: Enrollment, lesson: LessonPage, seconds: int, as_of: datetime | None = None
) -> None:
    """Add time on a lesson from the page's heartbeat, at most
    :data:`MAX_HEARTBEAT_SECONDS` per beat so a forged beat cannot inflate it."""
    seconds = max(0, min(int(seconds), MAX_HEARTBEAT_SECONDS))
    updated = LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson).update(
        time_spent_seconds=F("time_spent_seconds") + seconds, last_viewed_at=_now(as_of)
    )
    if not updated:
        raise LearningError("Open the lesson before recording time on it.")


def _locked(enrollment: Enrollment, *, lesson: LessonPage | None = None) -> Enrollment:
    """The enrolment read afresh with its learner, its row locked until the transaction
    ends (one statement; only the enrolment's row is locked). Every change of an
    enrolment's progress or status takes this lock, so they queue (the quiz view takes
    it with its access check: :func:`quiz_submit_as`).

    With ``lesson``, a lesson of the enrolment's course, the course is the lesson's
    (``LessonPage.course``), which the request has already read with its outline.
    """
    locked = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("user")
        .get(pk=enrollment.pk)
    )
    if lesson is not None and lesson.course is not None and lesson.course.pk == locked.course_id:
        locked.course = lesson.course
    return locked


@transaction.atomic
def lesson_complete(
    *, enrollment: Enrollment, lesson: LessonPage, as_of: datetime | None = None
) -> LessonProgress:
    """Mark a lesson complete (once) and recompute the course progress.

    A lesson with a quiz completes only by passing it: see :func:`quiz_submit`.
    """
    now = _now(as_of)
    enrollment = _locked(enrollment, lesson=lesson)
    if not enrollment.grants_access:
        raise LearningError("You are not enrolled in this course.")
    completed = _complete_lesson(enrollment, lesson, now, viewed=False)
    if completed is not None:
        _save_progress(enrollment, completed, now, fields=[])
    return LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)


def _complete_lesson(
    enrollment: Enrollment, lesson: LessonPage, now: datetime, *, viewed: bool
) -> set[int] | None:
    """Complete ``lesson`` for an enrolment locked by :func:`_locked`, once: the ids of
    the enrolment's completed lessons afterwards, or None when this one was complete
    already (then only ``viewed`` is recorded).

    Two statements: one read of the completed lessons and this lesson's row (current,
    because completions happen only under the enrolment's lock), and one write of the
    row. A lesson never opened gets its row here; a first view racing this (another
    tab, which takes no lock) meets it in the same upsert, so neither fails.
    ``viewed`` also sets the last view (a quiz submitted from the page).
    """
    rows = dict(
        LessonProgress.objects.filter(
            Q(completed_at__isnull=False) | Q(lesson=lesson), enrollment=enrollment
        ).values_list("lesson_id", "completed_at")
    )
    mine = LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson)
    if rows.get(lesson.pk) is not None:
        if viewed:
            mine.update(last_viewed_at=now)
        return None
    if lesson.pk in rows:
        mine.update(completed_at=now, **({"last_viewed_at": now} if viewed else {}))
    else:
        LessonProgress.objects.bulk_create(
            [
                LessonProgress(
                    enrollment=enrollment,
                    lesson=lesson,
                    first_viewed_at=now,
                    last_viewed_at=now,
                    views=1,
                    completed_at=now,
                )
            ],
            update_conflicts=True,
            unique_fields=["enrollment", "lesson"],
            update_fields=["completed_at", "last_viewed_at"] if viewed else ["completed_at"],
        )
    return {lesson_id for lesson_id, at in rows.items() if at is not None} | {lesson.pk}


def _save_progress(
    enrollment: Enrollment, completed: set[int], now: datetime, *, fields: list[str]
) -> None:
    """Store the progress of a locked enrolment whose completed lessons are
    ``completed``, with ``fields`` already set on it, in one write; when that is every
    live lesson of an active enrolment, it is the course's completion, announced with
    ``course_completed`` (see :func:`course_complete`)."""
    lesson_ids = {lesson.id for lesson in course_outline(course=enrollment.course).lessons}
    done = len(lesson_ids & completed)
    enrollment.lessons_completed = done
    enrollment.progress_percent = int(100 * done / len(lesson_ids)) if lesson_ids else 0
    enrollment.last_activity_at = now
    fields = [*fields, "lessons_completed", "progress_percent", "last_activity_at"]
    finishing = bool(lesson_ids) and done == len(lesson_ids) and enrollment.status == Status.ACTIVE
    if finishing:
        fields += _finish(enrollment, now)
    enrollment.save(update_fields=list(dict.fromkeys(fields)))
    if finishing:
        course_completed.send(sender=Enrollment, enrollment=enrollment)


def _finish(enrollment: Enrollment, now: datetime) -> list[str]:
    """Set a locked, active enrolment completed (not saved); the fields it changed."""
    enrollment.status = Status.COMPLETED
    enrollment.completed_at = now
    enrollment.progress_percent = 100
    return ["status", "completed_at", "progress_percent"]


@transaction.atomic
def progress_recompute(*, enrollment: Enrollment, as_of: datetime | None = None) -> Enrollment:
    """Recount completed lessons against the course's live lessons; when every lesson
    is complete, complete the course."""
    now = _now(as_of)
    enrollment = _locked(enrollment)
    completed = set(
        LessonProgress.objects.filter(
            enrollment=enrollment, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    _save_progress(enrollment, completed, now, fields=[])
    return enrollment


@transaction.atomic
def course_complete(*, enrollment: Enrollment, as_of: datetime | None = None) -> Enrollment:
    """Complete an active enrolment once and announce it with ``course_completed``
    (certificates and compliance listen). A second call changes nothing."""
    enrollment = _locked(enrollment)
    if enrollment.status != Status.ACTIVE:
        return enrollment
    enrollment.save(update_fields=_finish(enrollment, _now(as_of)))
    course_completed.send(sender=Enrollment, enrollment=enrollment)
    return enrollment


# --- Quizzes ------------------------------------------------------------------------


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
    attempts = list(
        QuizAttempt.objects.filter(
            Q(lesson=lesson) | Q(submission_token=token), enrollment=enrollment
        )
        .defer("answers", "graded")
        .order_by()
    )
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
