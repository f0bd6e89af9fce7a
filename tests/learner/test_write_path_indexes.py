"""The rows the final quiz submit inserts carry no index that another of their indexes
already starts with (each would be one more page for every submit to write and, once
the table outgrows SQLite's page cache, to read first), and the submit's reads of
attempts and progress still find their rows through an index without them."""

from decimal import Decimal

from django.db import connection
from django.db.models import Q

import pytest

from audit.models import AuditEntry
from certificates.models import Certificate
from compliance.models import NotificationLog
from learner import services
from learner.models import LessonProgress, QuizAttempt
from tests.learner.factories import EnrollmentFactory, graded_attempt, small_course

pytestmark = pytest.mark.django_db

#: What the final quiz submit inserts (bench/README.md, "The final quiz submit's budget").
INSERTED = [QuizAttempt, LessonProgress, Certificate, AuditEntry, NotificationLog]


def _indexes(model) -> dict[str, tuple[list[str], bool]]:
    """The table's indexes and unique constraints but partial ones and PostgreSQL's
    ``_like`` ones: name → (columns, unique). A partial index holds only some rows, and
    a ``_like`` index (Django's, beside a text column's index) another operator class
    for prefix searches, so neither makes another redundant nor is redundant beside it."""
    partial = {
        rule.name
        for rule in [*model._meta.indexes, *model._meta.constraints]
        if getattr(rule, "condition", None) is not None
    }
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {
        name: (info["columns"], info["unique"])
        for name, info in found.items()
        if (info["index"] or info["unique"])
        and not info["primary_key"]
        and not info["foreign_key"]
        and name not in partial
        and not name.endswith("_like")
    }


class TestWritePathIndexes:
    @pytest.mark.parametrize("model", INSERTED, ids=lambda model: model.__name__)
    def test_no_index_repeats_the_start_of_another(self, model):
        indexes = _indexes(model)
        redundant = [
            (name, other)
            for name, (columns, unique) in indexes.items()
            if not unique
            for other, (longer, _) in indexes.items()
            if other != name and longer[: len(columns)] == columns
        ]
        assert not redundant, redundant


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")
class TestSubmitReadPlans:
    def _plan(self, queryset) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            sql, params = queryset.query.sql_with_params()
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return [row[-1] for row in cursor.fetchall()]

    def _learner(self):
        course = small_course()
        enrollment = EnrollmentFactory(course=course.course)
        services.lesson_complete(enrollment=enrollment, lesson=course.reading)
        for number in (1, 2):
            graded_attempt(enrollment, course.quiz_lesson, number=number, score=Decimal(40))
        for _ in range(3):  # others' rows, so the statistics have something to rate
            other = EnrollmentFactory(course=course.course)
            services.lesson_complete(enrollment=other, lesson=course.reading)
            graded_attempt(other, course.quiz_lesson, number=1, score=Decimal(90))
        return course, enrollment

    def test_the_attempts_read_searches_an_index_of_the_enrolment(self):
        course, enrollment = self._learner()
        attempt = enrollment.quiz_attempts.first()
        # learner.services.quizzes._attempt: this lesson's attempts and this form's.
        attempts = QuizAttempt.objects.filter(
            Q(lesson=course.quiz_lesson) | Q(submission_token=attempt.submission_token),
            enrollment=enrollment,
        ).order_by()

        plan = self._plan(attempts)

        assert plan and not any(step.startswith("SCAN") for step in plan), plan
        assert all("INDEX" in step for step in plan if step.startswith("SEARCH")), plan

    def test_the_progress_read_searches_an_index_of_the_enrolment(self):
        course, enrollment = self._learner()
        # learner.services.progress._complete_lesson: the completed lessons and this one.
        rows = LessonProgress.objects.filter(
            Q(completed_at__isnull=False) | Q(lesson=course.quiz_lesson), enrollment=enrollment
        ).values_list("lesson_id", "completed_at")

        plan = self._plan(rows)

        assert plan and not any(step.startswith("SCAN") for step in plan), plan
        assert all("INDEX" in step for step in plan if step.startswith("SEARCH")), plan
