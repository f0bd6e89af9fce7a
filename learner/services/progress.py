"""Progress: lesson views and time, lesson and course completion."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from catalog.selectors import course_outline
from lessons.models import LessonPage

from .. import audit_events
from ..models import Enrollment, LessonProgress
from ..signals import course_completed
from .common import (
    MAX_HEARTBEAT_SECONDS,
    LearningError,
    Status,
    _now,
)


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
        audit_events.lesson_completed(enrollment, lesson.pk, lesson.live_revision_id)
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
    done = {"completed_at": now, "lesson_revision_id": lesson.live_revision_id}  # no read
    if lesson.pk in rows:
        mine.update(**done, **({"last_viewed_at": now} if viewed else {}))
    else:
        LessonProgress.objects.bulk_create(
            [
                LessonProgress(
                    enrollment=enrollment,
                    lesson=lesson,
                    first_viewed_at=now,
                    last_viewed_at=now,
                    views=1,
                    **done,
                )
            ],
            update_conflicts=True,
            unique_fields=["enrollment", "lesson"],
            update_fields=["completed_at", "lesson_revision", *(["last_viewed_at"] * viewed)],
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
    """Set a locked, active enrolment completed on the live course revision (unsaved)."""
    enrollment.status = Status.COMPLETED
    enrollment.completed_at = now
    enrollment.progress_percent = 100
    enrollment.course_revision_id = enrollment.course.live_revision_id
    audit_events.course_completed(enrollment)
    return ["status", "completed_at", "progress_percent", "course_revision"]


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
