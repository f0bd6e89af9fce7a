"""The roster's per-learner detail: each lesson, the time spent and every quiz attempt,
for the course's instructors only."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

import pytest

from learner import services
from learner.models import Enrollment
from tests.html import table_cells
from tests.learner.factories import (
    EnrollmentFactory,
    UserFactory,
    course_editor,
    course_instructor,
    graded_attempt,
    small_course,
)

pytestmark = pytest.mark.django_db
PROGRESS_URL = "/admin/learners/progress/"


def detail_url(enrollment: Enrollment) -> str:
    return reverse("learner_progress:detail", args=[enrollment.pk])


@pytest.fixture
def botany(catalog):
    return small_course(title="Botany")


@pytest.fixture
def lena(botany):
    """Lena has read the first lesson (95 s), opened the quiz, failed it then passed it."""
    enrollment = EnrollmentFactory(
        course=botany.course,
        user=UserFactory(username="lena", first_name="Lena", last_name="Lind"),
    )
    services.lesson_view(enrollment=enrollment, lesson=botany.reading)
    services.lesson_time_add(enrollment=enrollment, lesson=botany.reading, seconds=60)
    services.lesson_time_add(enrollment=enrollment, lesson=botany.reading, seconds=35)
    services.lesson_complete(enrollment=enrollment, lesson=botany.reading)
    services.lesson_view(enrollment=enrollment, lesson=botany.quiz_lesson)
    start = timezone.now() - timedelta(hours=1)
    for number, score in enumerate([Decimal("50.00"), Decimal("87.50")], start=1):
        graded_attempt(
            enrollment,
            botany.quiz_lesson,
            number=number,
            score=score,
            submitted_at=start + timedelta(minutes=number),
        )
    return enrollment


class TestProgressDetail:
    def test_the_roster_links_each_learner_to_their_detail(self, client, botany, lena):
        client.force_login(course_instructor(botany.course, "ines"))
        response = client.get(PROGRESS_URL)
        assert f'href="{detail_url(lena)}"' in response.content.decode()

    def test_shows_each_lesson_in_order_with_time_and_completion(self, client, botany, lena):
        client.force_login(course_instructor(botany.course, "ines"))
        response = client.get(detail_url(lena))

        assert response.status_code == 200
        content = response.content.decode()
        assert "Lena Lind: Botany" in content
        assert "2 min" in content  # 95 seconds in all
        lessons = table_cells(content, "lessons-heading")
        assert [row[:2] for row in lessons] == [
            ["Module one", "Reading"],
            ["Module one", "Quiz time"],
            ["Module one", "Wrap up"],
        ]
        reading, quiz, wrap_up = lessons
        assert reading[3:5] == ["1", "2 min"]
        assert reading[5] != "Not yet"
        assert quiz[3:] == ["1", "under a minute", "Not yet"]
        assert wrap_up[2:] == ["Not viewed", "0", "–", "Not yet"]

    def test_lists_every_quiz_attempt_with_its_result(self, client, botany, lena):
        client.force_login(course_instructor(botany.course, "ines"))
        attempts = table_cells(client.get(detail_url(lena)).content.decode(), "attempts-heading")
        assert [(row[0], row[1], row[3], row[4], row[5]) for row in attempts] == [
            ("Quiz time", "1", "50%", "75%", "Not passed"),
            ("Quiz time", "2", "87.5%", "75%", "Passed"),
        ]

    def test_progress_on_a_lesson_no_longer_live_is_still_shown(self, client, botany, lena):
        botany.reading.unpublish()
        client.force_login(course_instructor(botany.course, "ines"))
        lessons = table_cells(client.get(detail_url(lena)).content.decode(), "lessons-heading")
        assert [row[:2] for row in lessons] == [
            ["Module one", "Quiz time"],
            ["Module one", "Wrap up"],
            ["No longer in the course", "Reading"],
        ]

    def test_a_learner_with_nothing_done_yet(self, client, botany):
        enrollment = EnrollmentFactory(course=botany.course)
        client.force_login(course_instructor(botany.course, "ines"))
        content = client.get(detail_url(enrollment)).content.decode()
        assert "No quiz attempts yet." in content
        assert "None yet" in content  # last activity

    def test_another_instructors_learner_is_404(self, client, botany, lena, catalog):
        other = small_course(title="Anatomy")
        client.force_login(course_editor(other.course, "otto"))
        assert client.get(detail_url(lena)).status_code == 404

    def test_an_unknown_id_is_404(self, client, botany, lena):
        client.force_login(course_instructor(botany.course, "ines"))
        assert client.get(reverse("learner_progress:detail", args=[10**9])).status_code == 404

    def test_a_fixed_number_of_queries_however_many_lessons_and_attempts(
        self, client, botany, lena, django_assert_max_num_queries
    ):
        client.force_login(course_instructor(botany.course, "ines"))
        client.get(detail_url(lena))  # warm the outline and permission caches
        with django_assert_max_num_queries(20):
            assert client.get(detail_url(lena)).status_code == 200
