"""The learner's part of a person's data download and evidence pack (records.hooks):
their enrolments, lesson progress and quiz attempts, each with the content revision it
was done on."""

from .models import Enrollment, LessonProgress, QuizAttempt


def _enrolments(person, *, course_ids=()):
    rows = Enrollment.objects.filter(user=person).select_related("course").order_by("pk")
    return rows.filter(course_id__in=course_ids) if course_ids else rows


def _enrolment_row(enrolment: Enrollment) -> dict:
    return {
        "object": f"learner.enrollment:{enrolment.pk}",
        "id": enrolment.pk,
        "course_id": enrolment.course_id,
        "course": enrolment.course.title,
        "status": enrolment.status,
        "requested_at": enrolment.requested_at,
        "activated_at": enrolment.activated_at,
        "completed_at": enrolment.completed_at,
        "ended_at": enrolment.ended_at,
        "course_revision": enrolment.course_revision_id,
        "progress_percent": enrolment.progress_percent,
        "lessons_completed": enrolment.lessons_completed,
    }


def _progress_rows(person, *, course_ids=(), completed_only=False):
    rows = (
        LessonProgress.objects.filter(enrollment__user=person)
        .select_related("lesson", "enrollment")
        .order_by("enrollment_id", "lesson__path")
    )
    if course_ids:
        rows = rows.filter(enrollment__course_id__in=course_ids)
    if completed_only:
        rows = rows.filter(completed_at__isnull=False)
    return [
        {
            "object": f"learner.lessonprogress:{row.pk}",
            "enrolment": row.enrollment_id,
            "course_id": row.enrollment.course_id,
            "lesson_id": row.lesson_id,
            "lesson": row.lesson.title,
            "first_viewed_at": row.first_viewed_at,
            "last_viewed_at": row.last_viewed_at,
            "completed_at": row.completed_at,
            "lesson_revision": row.lesson_revision_id,
            "views": row.views,
            "time_spent_seconds": row.time_spent_seconds,
        }
        for row in rows
    ]


def _attempt_rows(person, *, course_ids=(), with_answers=False):
    rows = (
        QuizAttempt.objects.filter(enrollment__user=person)
        .select_related("lesson", "enrollment")
        .order_by("submitted_at", "pk")
    )
    if course_ids:
        rows = rows.filter(enrollment__course_id__in=course_ids)
    result = []
    for attempt in rows:
        row = {
            "object": f"learner.quizattempt:{attempt.pk}",
            "enrolment": attempt.enrollment_id,
            "course_id": attempt.enrollment.course_id,
            "lesson_id": attempt.lesson_id,
            "lesson": attempt.lesson.title,
            "number": attempt.number,
            "submitted_at": attempt.submitted_at,
            "score": attempt.score,
            "pass_mark": attempt.pass_mark,
            "passed": attempt.passed,
        }
        if with_answers:
            row["answers"] = attempt.answers
            row["graded"] = attempt.graded
        result.append(row)
    return result


def export_person(person) -> dict:
    """Every enrolment (with the rejection reason given), lesson progress and quiz
    attempt (with the answers given) of ``person``."""
    enrolments = [
        {**_enrolment_row(row), "reason": row.reason} for row in _enrolments(person).iterator()
    ]
    return {
        "learner/enrolments": enrolments,
        "learner/lesson_progress": _progress_rows(person),
        "learner/quiz_attempts": _attempt_rows(person, with_answers=True),
    }


def person_evidence(person, *, scope) -> dict:
    """Enrolments and completions (with the course revision), lessons completed (with
    the lesson revision) and quiz attempts with scores, within ``scope``'s courses."""
    courses = scope.course_ids
    return {
        "enrolments": [_enrolment_row(row) for row in _enrolments(person, course_ids=courses)],
        "lesson_completions": _progress_rows(person, course_ids=courses, completed_only=True),
        "quiz_attempts": _attempt_rows(person, course_ids=courses),
    }
