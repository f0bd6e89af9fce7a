"""Operations that change learner state. Each runs in one transaction.

Capacity is protected by locking the course's page row for the length of any
transaction that may take or free a seat (enrol, approve, withdraw, promote), so
parallel requests never over-fill a course. On SQLite, where row locks do not exist,
``transaction_mode=IMMEDIATE`` serialises writers instead.
"""

from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from wagtail.models import Page

from catalog.models import CoursePage
from catalog.selectors import course_outline
from lessons.models import LessonPage

from . import emails
from .grading import grade, parse_answers
from .models import Enrollment, LessonProgress, QuizAttempt
from .signals import course_completed

Status = Enrollment.Status
Policy = CoursePage.EnrolmentPolicy

#: The most seconds one heartbeat may add to a lesson's time spent.
MAX_HEARTBEAT_SECONDS = 120


class LearningError(Exception):
    """An operation the rules do not allow; the message is shown to the user as is."""


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
    if course.enrolment_policy == Policy.CLOSED:
        raise LearningError("This course is not taking new enrolments.")

    enrollment = Enrollment(user=user, course=course, requested_at=now)
    if course.enrolment_policy == Policy.APPROVAL:
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


@transaction.atomic
def lesson_complete(
    *, enrollment: Enrollment, lesson: LessonPage, as_of: datetime | None = None
) -> LessonProgress:
    """Mark a lesson complete (once) and recompute the course progress.

    A lesson with a quiz completes only by passing it: see :func:`quiz_submit`.
    """
    now = _now(as_of)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if not enrollment.grants_access:
        raise LearningError("You are not enrolled in this course.")
    progress, _ = LessonProgress.objects.get_or_create(
        enrollment=enrollment,
        lesson=lesson,
        defaults={"first_viewed_at": now, "last_viewed_at": now, "views": 1},
    )
    if progress.completed_at is None:
        progress.completed_at = now
        progress.save(update_fields=["completed_at"])
        progress_recompute(enrollment=enrollment, as_of=now)
    return progress


@transaction.atomic
def progress_recompute(*, enrollment: Enrollment, as_of: datetime | None = None) -> Enrollment:
    """Recount completed lessons against the course's live lessons; when every lesson
    is complete, complete the course."""
    lesson_ids = [lesson.id for lesson in course_outline(enrollment.course).lessons]
    done = LessonProgress.objects.filter(
        enrollment=enrollment, lesson_id__in=lesson_ids, completed_at__isnull=False
    ).count()
    enrollment.lessons_completed = done
    enrollment.progress_percent = int(100 * done / len(lesson_ids)) if lesson_ids else 0
    enrollment.last_activity_at = _now(as_of)
    enrollment.save(update_fields=["lessons_completed", "progress_percent", "last_activity_at"])
    if lesson_ids and done == len(lesson_ids) and enrollment.status == Status.ACTIVE:
        course_complete(enrollment=enrollment, as_of=as_of)
    return enrollment


@transaction.atomic
def course_complete(*, enrollment: Enrollment, as_of: datetime | None = None) -> Enrollment:
    """Complete an active enrolment once and announce it with ``course_completed``
    (certificates and compliance listen). A second call changes nothing."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    if enrollment.status != Status.ACTIVE:
        return enrollment
    enrollment.status = Status.COMPLETED
    enrollment.completed_at = _now(as_of)
    enrollment.progress_percent = 100
    enrollment.save(update_fields=["status", "completed_at", "progress_percent"])
    course_completed.send(sender=Enrollment, enrollment=enrollment)
    return enrollment


# --- Quizzes ------------------------------------------------------------------------


def quiz_pass_mark(lesson: LessonPage, quiz_value) -> int:
    """The quiz's own pass mark, or the course default when it has none."""
    if quiz_value["pass_mark"] is not None:
        return int(quiz_value["pass_mark"])
    return lesson.course.pass_mark


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
    made. Bad answers raise :class:`~learner.grading.InvalidSubmission` and record
    nothing; so does a submission past the attempt limit (:class:`LearningError`).
    Passing completes the lesson.
    """
    now = _now(as_of)
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    replay = QuizAttempt.objects.filter(enrollment=enrollment, submission_token=token).first()
    if replay:
        return replay
    if enrollment.status != Status.ACTIVE:
        raise LearningError("Quizzes can be taken only while you are enrolled in the course.")
    quiz = lesson.quiz
    if quiz is None:
        raise LearningError("This lesson has no quiz.")
    previous = QuizAttempt.objects.filter(enrollment=enrollment, lesson=lesson)
    if previous.filter(passed=True).exists():
        raise LearningError("You have already passed this quiz.")
    count = previous.count()
    limit = quiz.value["max_attempts"] or 0
    if limit and count >= limit:
        raise LearningError("You have used every attempt at this quiz.")
    answers = parse_answers(quiz.value, data)
    pass_mark = quiz_pass_mark(lesson, quiz.value)
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
    lesson_view_progress = LessonProgress.objects.filter(enrollment=enrollment, lesson=lesson)
    lesson_view_progress.update(last_viewed_at=now)
    Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=now, last_lesson=lesson)
    if result.passed:
        lesson_complete(enrollment=enrollment, lesson=lesson, as_of=now)
    return attempt
