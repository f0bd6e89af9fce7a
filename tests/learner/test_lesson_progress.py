"""A learner's progress through their own URLs: marking lessons complete, completing
the course, and the reading-time heartbeat."""

import pytest

from learner.models import Enrollment, LessonProgress
from learner.signals import course_completed
from tests.learner.factories import UserFactory, answer_key, submit_quiz

Status = Enrollment.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def completions():
    received = []

    def receiver(sender, enrollment, **kwargs):
        received.append(enrollment.pk)

    course_completed.connect(receiver)
    yield received
    course_completed.disconnect(receiver)


class TestMarkComplete:
    def test_mark_complete_moves_on_to_the_next_lesson(self, client, course, enrolled):
        client.get(course.reading.url)
        response = client.post(f"/learn/lessons/{course.reading.pk}/complete/")
        assert response.status_code == 302
        assert response["Location"] == course.quiz_lesson.url
        enrolled.refresh_from_db()
        assert enrolled.lessons_completed == 1
        assert enrolled.progress_percent == 33

    def test_completing_twice_counts_once(self, client, course, enrolled):
        for _ in range(2):
            client.post(f"/learn/lessons/{course.reading.pk}/complete/")
        enrolled.refresh_from_db()
        assert enrolled.lessons_completed == 1

    def test_a_quiz_lesson_cannot_be_marked_complete(self, client, course, enrolled):
        response = client.post(f"/learn/lessons/{course.quiz_lesson.pk}/complete/")
        assert response.status_code == 400
        assert b"completes when you pass its quiz" in response.content

    def test_mark_complete_refuses_get(self, client, course, enrolled):
        assert client.get(f"/learn/lessons/{course.reading.pk}/complete/").status_code == 405

    def test_not_enrolled_cannot_complete(self, client, course):
        client.force_login(UserFactory())
        response = client.post(f"/learn/lessons/{course.reading.pk}/complete/")
        assert response.status_code == 403
        assert not LessonProgress.objects.exists()

    def test_unknown_lesson_is_404(self, client, enrolled):
        assert client.post("/learn/lessons/999999/complete/").status_code == 404


class TestCourseCompletion:
    def test_completing_every_lesson_completes_the_course_once(
        self, client, course, enrolled, completions
    ):
        client.post(f"/learn/lessons/{course.reading.pk}/complete/")
        submit_quiz(client, course.quiz_lesson, answer_key(course.quiz_lesson))
        response = client.post(f"/learn/lessons/{course.last.pk}/complete/", follow=True)
        assert b"Course complete" in response.content
        enrolled.refresh_from_db()
        assert enrolled.status == Status.COMPLETED
        assert enrolled.progress_percent == 100
        assert completions == [enrolled.pk]
        client.post(f"/learn/lessons/{course.last.pk}/complete/")
        assert completions == [enrolled.pk]

    def test_course_page_shows_progress_and_ticks(self, client, course, enrolled):
        client.post(f"/learn/lessons/{course.reading.pk}/complete/")
        html = client.get(course.course.url).content.decode()
        assert "33% complete" in html
        assert "Continue where you left off" in html
        assert "(completed)" in html


class TestHeartbeat:
    def test_heartbeat_adds_capped_time(self, client, course, enrolled):
        client.get(course.reading.url)
        url = f"/learn/lessons/{course.reading.pk}/heartbeat/"
        assert client.post(url, {"view": "1"}).status_code == 200
        assert client.post(url, {"seconds": "30"}).status_code == 200
        assert client.post(url, {"seconds": "100000"}).status_code == 200
        progress = LessonProgress.objects.get(lesson=course.reading)
        assert progress.time_spent_seconds == 30 + 120

    def test_bad_heartbeats_are_400(self, client, course, enrolled):
        url = f"/learn/lessons/{course.reading.pk}/heartbeat/"
        assert client.post(url, {"seconds": "soon"}).status_code == 400
        assert client.post(url, {"seconds": "10"}).status_code == 400  # lesson never opened
        assert client.post(url, {}).status_code == 400  # neither a view nor seconds

    def test_heartbeat_from_a_stranger_is_403(self, client, course):
        client.force_login(UserFactory())
        url = f"/learn/lessons/{course.reading.pk}/heartbeat/"
        assert client.post(url, {"seconds": "10"}).status_code == 403
