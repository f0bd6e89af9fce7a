"""The course progress screen: each learner's progress and best quiz score in the
courses one may edit, with CSV and Excel exports."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from learner.models import Enrollment
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import (
    EnrollmentFactory,
    UserFactory,
    add_instructor,
    course_editor,
    course_instructor,
    graded_attempt,
    small_course,
)
from tests.responses import csv_rows, streamed, xlsx_rows

Status = Enrollment.Status
pytestmark = pytest.mark.django_db

PROGRESS_URL = "/admin/learners/progress/"
EXPORT_HEADINGS = [
    "Learner",
    "Username",
    "Email",
    "Course",
    "Status",
    "Progress (%)",
    "Lessons completed",
    "Last activity",
    "Best quiz score (%)",
]


@pytest.fixture
def roster(catalog, learner):
    """Botany with a learner a third of the way through (quiz scores 50 and 85.5), a
    completed learner, and Anatomy with one active learner."""
    botany = small_course(title="Botany")
    active = EnrollmentFactory(
        course=botany.course,
        user=learner,
        progress_percent=33,
        lessons_completed=1,
        last_activity_at=timezone.now(),
    )
    for number, score in enumerate([Decimal("50.00"), Decimal("85.50")], start=1):
        graded_attempt(active, botany.quiz_lesson, number=number, score=score)
    done = EnrollmentFactory(
        course=botany.course,
        user=UserFactory(username="dora", first_name="Dora", last_name="Done"),
        status=Status.COMPLETED,
        progress_percent=100,
        lessons_completed=3,
    )
    anatomy = CoursePageFactory(title="Anatomy")
    other = EnrollmentFactory(course=anatomy, user=UserFactory(username="abe"))
    return {
        "botany": botany.course,
        "anatomy": anatomy,
        "active": active,
        "done": done,
        "other": other,
    }


class TestCourseProgress:
    @pytest.fixture
    def instructor(self, roster):
        """An instructor of both roster courses."""
        user = course_instructor(roster["botany"], "ines")
        add_instructor(roster["anatomy"], user)
        return user

    def test_roster_shows_progress_and_best_score(self, client, instructor, roster):
        client.force_login(instructor)
        response = client.get(PROGRESS_URL)
        assert response.status_code == 200
        rows = {e.pk: e for e in response.context["object_list"]}
        assert set(rows) == {roster["active"].pk, roster["done"].pk, roster["other"].pk}
        assert rows[roster["active"].pk].best_score == Decimal("85.50")
        assert rows[roster["done"].pk].best_score is None
        content = response.content.decode()
        for text in ("Lena Lind", "lena@example.com", "Botany", "33%", "85.5%", "Completed"):
            assert text in content

    def test_instructor_sees_only_courses_they_may_edit(self, client, roster):
        client.force_login(course_editor(roster["anatomy"], "otto"))
        response = client.get(PROGRESS_URL)
        assert [e.pk for e in response.context["object_list"]] == [roster["other"].pk]
        assert "Lena Lind" not in response.content.decode()
        courses = response.context["filters"].form.fields["course"].queryset
        assert list(courses) == [roster["anatomy"]]

    def test_filters_by_course_and_status(self, client, instructor, roster):
        client.force_login(instructor)
        response = client.get(PROGRESS_URL, {"course": roster["botany"].pk})
        assert {e.pk for e in response.context["object_list"]} == {
            roster["active"].pk,
            roster["done"].pk,
        }
        response = client.get(PROGRESS_URL, {"course": roster["botany"].pk, "status": "completed"})
        assert [e.pk for e in response.context["object_list"]] == [roster["done"].pk]

    def test_a_course_outside_the_users_reach_filters_nothing_in(self, client, roster):
        client.force_login(course_editor(roster["anatomy"], "otto"))
        response = client.get(PROGRESS_URL, {"course": roster["botany"].pk, "export": "csv"})
        assert [row[3] for row in csv_rows(response)[1:]] == ["Anatomy"]

    def test_csv_export_has_headings_and_the_filtered_rows(self, client, instructor, roster):
        client.force_login(instructor)
        response = client.get(PROGRESS_URL, {"course": roster["botany"].pk, "export": "csv"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert "course-progress.csv" in response["Content-Disposition"]
        rows = csv_rows(response)
        assert rows[0] == EXPORT_HEADINGS
        by_username = {row[1]: row for row in rows[1:]}
        assert set(by_username) == {"lena", "dora"}
        lena = by_username["lena"]
        assert lena[:7] == [
            "Lena Lind",
            "lena",
            "lena@example.com",
            "Botany",
            "In progress",
            "33",
            "1",
        ]
        assert lena[7]  # last activity, local time
        assert lena[8] == "85.5"
        assert by_username["dora"][4] == "Completed"
        assert by_username["dora"][8] == ""

    def test_xlsx_export_opens_and_has_the_rows(self, client, instructor, roster):
        client.force_login(instructor)
        response = client.get(PROGRESS_URL, {"export": "xlsx", "status": "active"})
        assert response.status_code == 200
        rows = xlsx_rows(response)
        assert list(rows[0]) == EXPORT_HEADINGS
        assert sorted(row[1] for row in rows[1:]) == ["abe", "lena"]
        lena = next(row for row in rows[1:] if row[1] == "lena")
        assert lena[3] == "Botany"
        assert lena[5] == 33
        assert lena[8] == 85.5

    def test_query_count_does_not_grow_with_rows(
        self, client, catalog, django_assert_max_num_queries
    ):
        botany = small_course(title="Botany")
        instructor = course_instructor(botany.course, "ines")

        def enrol(count):
            for _ in range(count):
                enrollment = EnrollmentFactory(course=botany.course, progress_percent=33)
                graded_attempt(enrollment, botany.quiz_lesson, number=1, score=Decimal("90"))

        enrol(3)
        client.force_login(instructor)
        budgets = {}
        for params in ({}, {"export": "csv"}, {"export": "xlsx"}):
            with CaptureQueriesContext(connection) as few:
                response = client.get(PROGRESS_URL, params)
                if params:
                    streamed(response)
            budgets[str(params)] = len(few.captured_queries)
        enrol(27)
        for params in ({}, {"export": "csv"}, {"export": "xlsx"}):
            with django_assert_max_num_queries(budgets[str(params)]):
                response = client.get(PROGRESS_URL, params)
                if params:
                    body = streamed(response)
        assert body  # the last (xlsx) export did run
        assert response.status_code == 200
