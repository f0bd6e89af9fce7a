"""Progress, completion, quiz submission through the learner's own URLs."""

import uuid

import pytest

from learner.models import Enrollment, LessonProgress, QuizAttempt
from learner.signals import course_completed
from tests.learner.factories import EnrollmentFactory, UserFactory, answer_key, small_course
from tests.lessons.factories import lesson_body, quiz, true_false

Status = Enrollment.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return small_course()


@pytest.fixture
def enrolled(client, course):
    enrollment = EnrollmentFactory(course=course.course)
    client.force_login(enrollment.user)
    return enrollment


def submit(client, lesson, data, token=None):
    payload = {**data, "submission_token": [token or str(uuid.uuid4())]}
    return client.post(f"/learn/lessons/{lesson.pk}/quiz/", payload)


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


class TestQuizSubmission:
    def test_fail_then_pass_completes_the_lesson(self, client, course, enrolled):
        failed = submit(client, course.quiz_lesson, answer_key(course.quiz_lesson, correct=False))
        attempt = QuizAttempt.objects.get()
        assert failed["Location"] == f"/learn/attempts/{attempt.pk}/"
        assert not attempt.passed
        page = client.get(failed["Location"])
        assert b"Not passed this time." in page.content
        assert b"Try again" in page.content
        assert b"(the right answer)" not in page.content  # not revealed before passing

        passed = submit(client, course.quiz_lesson, answer_key(course.quiz_lesson))
        attempt = QuizAttempt.objects.get(number=2)
        assert attempt.passed
        assert attempt.score == 100
        page = client.get(passed["Location"])
        assert b"You passed." in page.content
        progress = LessonProgress.objects.get(enrollment=enrolled, lesson=course.quiz_lesson)
        assert progress.completed_at is not None

    def test_results_show_explanations(self, client):
        from tests.lessons.factories import single_choice

        course = small_course()
        lesson = course.quiz_lesson
        lesson.body = lesson_body(
            quiz(single_choice(explanation="<p>Urgency is the classic lure.</p>"))
        )
        lesson.save_revision().publish()
        enrollment = EnrollmentFactory(course=course.course)
        client.force_login(enrollment.user)
        response = submit(client, lesson, answer_key(lesson, correct=False))
        assert b"Urgency is the classic lure." in client.get(response["Location"]).content

    def test_double_submit_records_one_attempt(self, client, course, enrolled):
        token = str(uuid.uuid4())
        first = submit(client, course.quiz_lesson, answer_key(course.quiz_lesson), token)
        second = submit(client, course.quiz_lesson, answer_key(course.quiz_lesson), token)
        assert QuizAttempt.objects.count() == 1
        assert first["Location"] == second["Location"]

    def test_tampered_answers_get_400_and_change_nothing(self, client, course, enrolled):
        data = answer_key(course.quiz_lesson)
        data["q-not-a-question"] = ["x"]
        response = submit(client, course.quiz_lesson, data)
        assert response.status_code == 400
        assert b"not in this quiz" in response.content
        assert not QuizAttempt.objects.exists()

    def test_missing_answer_gets_400(self, client, course, enrolled):
        data = answer_key(course.quiz_lesson)
        data.pop(next(iter(data)))
        response = submit(client, course.quiz_lesson, data)
        assert response.status_code == 400
        assert b"Answer every question" in response.content

    @pytest.mark.parametrize("token", ["", "not-a-uuid", "'; DROP TABLE x;--"])
    def test_malformed_token_gets_400(self, client, course, enrolled, token):
        response = client.post(
            f"/learn/lessons/{course.quiz_lesson.pk}/quiz/",
            {**answer_key(course.quiz_lesson), "submission_token": token},
        )
        assert response.status_code == 400
        assert not QuizAttempt.objects.exists()

    def test_attempt_limit_is_enforced_on_the_server(self, client):
        course = small_course()
        lesson = course.quiz_lesson
        lesson.body = lesson_body(quiz(true_false(), max_attempts=2))
        lesson.save_revision().publish()
        enrollment = EnrollmentFactory(course=course.course)
        client.force_login(enrollment.user)
        wrong = answer_key(lesson, correct=False)
        submit(client, lesson, wrong)
        response = submit(client, lesson, wrong)
        assert b"(the right answer)" in client.get(response["Location"]).content
        third = submit(client, lesson, answer_key(lesson))
        assert third.status_code == 400
        assert b"used every attempt" in third.content
        assert QuizAttempt.objects.count() == 2

    def test_passed_quiz_cannot_be_retaken(self, client, course, enrolled):
        submit(client, course.quiz_lesson, answer_key(course.quiz_lesson))
        response = submit(client, course.quiz_lesson, answer_key(course.quiz_lesson))
        assert response.status_code == 400
        assert QuizAttempt.objects.count() == 1

    def test_not_enrolled_learner_cannot_submit(self, client, course):
        client.force_login(UserFactory())
        response = submit(client, course.quiz_lesson, answer_key(course.quiz_lesson))
        assert response.status_code == 403
        assert not QuizAttempt.objects.exists()

    def test_anonymous_submit_goes_to_login(self, client, course):
        response = submit(client, course.quiz_lesson, answer_key(course.quiz_lesson))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_other_learners_attempts_are_404(self, client, course, enrolled):
        submit(client, course.quiz_lesson, answer_key(course.quiz_lesson))
        attempt = QuizAttempt.objects.get()
        client.force_login(UserFactory())
        assert client.get(f"/learn/attempts/{attempt.pk}/").status_code == 404

    def test_past_results_survive_edits_of_the_quiz(self, client, course, enrolled):
        response = submit(client, course.quiz_lesson, answer_key(course.quiz_lesson))
        lesson = course.quiz_lesson
        lesson.body = lesson_body(quiz(true_false(prompt="A brand new question")))
        lesson.save_revision().publish()
        page = client.get(response["Location"]).content
        assert b"Which is a phishing sign?" in page
        assert b"A brand new question" not in page


class TestCourseCompletion:
    def test_completing_every_lesson_completes_the_course_once(
        self, client, course, enrolled, completions
    ):
        client.post(f"/learn/lessons/{course.reading.pk}/complete/")
        submit(client, course.quiz_lesson, answer_key(course.quiz_lesson))
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
        assert client.post(url, {"seconds": "30"}).status_code == 200
        assert client.post(url, {"seconds": "100000"}).status_code == 200
        progress = LessonProgress.objects.get(lesson=course.reading)
        assert progress.time_spent_seconds == 30 + 120

    def test_bad_heartbeats_are_400(self, client, course, enrolled):
        url = f"/learn/lessons/{course.reading.pk}/heartbeat/"
        assert client.post(url, {"seconds": "soon"}).status_code == 400
        assert client.post(url, {"seconds": "10"}).status_code == 400  # lesson never opened

    def test_heartbeat_from_a_stranger_is_403(self, client, course):
        client.force_login(UserFactory())
        url = f"/learn/lessons/{course.reading.pk}/heartbeat/"
        assert client.post(url, {"seconds": "10"}).status_code == 403
