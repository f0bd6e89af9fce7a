"""Quiz submission through the learner's own URLs: grading, results, attempts and
what a submission may not do."""

import uuid

import pytest

from learner.models import LessonProgress, QuizAttempt
from tests.learner.factories import (
    EnrollmentFactory,
    UserFactory,
    answer_key,
    small_course,
    submit_quiz,
)
from tests.lessons.factories import lesson_body, quiz, single_choice, true_false

pytestmark = pytest.mark.django_db


class TestQuizSubmission:
    def test_fail_then_pass_completes_the_lesson(self, client, course, enrolled):
        failed = submit_quiz(
            client, course.quiz_lesson, answer_key(course.quiz_lesson, correct=False)
        )
        attempt = QuizAttempt.objects.get()
        assert failed["Location"] == f"/learn/attempts/{attempt.pk}/"
        assert not attempt.passed
        page = client.get(failed["Location"])
        assert b"Not passed this time." in page.content
        assert b"Try again" in page.content
        assert b"(the right answer)" not in page.content  # not revealed before passing

        passed = submit_quiz(client, course.quiz_lesson, answer_key(course.quiz_lesson))
        attempt = QuizAttempt.objects.get(number=2)
        assert attempt.passed
        assert attempt.score == 100
        page = client.get(passed["Location"])
        assert b"You passed." in page.content
        progress = LessonProgress.objects.get(enrollment=enrolled, lesson=course.quiz_lesson)
        assert progress.completed_at is not None

    def test_results_show_explanations(self, client):
        course = small_course()
        lesson = course.quiz_lesson
        lesson.body = lesson_body(
            quiz(single_choice(explanation="<p>Urgency is the classic lure.</p>"))
        )
        lesson.save_revision().publish()
        enrollment = EnrollmentFactory(course=course.course)
        client.force_login(enrollment.user)
        response = submit_quiz(client, lesson, answer_key(lesson, correct=False))
        assert b"Urgency is the classic lure." in client.get(response["Location"]).content

    def test_double_submit_records_one_attempt(self, client, course, enrolled):
        token = str(uuid.uuid4())
        first = submit_quiz(client, course.quiz_lesson, answer_key(course.quiz_lesson), token)
        second = submit_quiz(client, course.quiz_lesson, answer_key(course.quiz_lesson), token)
        assert QuizAttempt.objects.count() == 1
        assert first["Location"] == second["Location"]

    def test_tampered_answers_get_400_and_change_nothing(self, client, course, enrolled):
        data = answer_key(course.quiz_lesson)
        data["q-not-a-question"] = ["x"]
        response = submit_quiz(client, course.quiz_lesson, data)
        assert response.status_code == 400
        assert b"not in this quiz" in response.content
        assert not QuizAttempt.objects.exists()

    def test_missing_answer_gets_400(self, client, course, enrolled):
        data = answer_key(course.quiz_lesson)
        data.pop(next(iter(data)))
        response = submit_quiz(client, course.quiz_lesson, data)
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
        submit_quiz(client, lesson, wrong)
        response = submit_quiz(client, lesson, wrong)
        assert b"(the right answer)" in client.get(response["Location"]).content
        third = submit_quiz(client, lesson, answer_key(lesson))
        assert third.status_code == 400
        assert b"used every attempt" in third.content
        assert QuizAttempt.objects.count() == 2

    def test_passed_quiz_cannot_be_retaken(self, client, course, enrolled):
        submit_quiz(client, course.quiz_lesson, answer_key(course.quiz_lesson))
        response = submit_quiz(client, course.quiz_lesson, answer_key(course.quiz_lesson))
        assert response.status_code == 400
        assert QuizAttempt.objects.count() == 1

    def test_not_enrolled_learner_cannot_submit(self, client, course):
        client.force_login(UserFactory())
        response = submit_quiz(client, course.quiz_lesson, answer_key(course.quiz_lesson))
        assert response.status_code == 403
        assert not QuizAttempt.objects.exists()

    def test_anonymous_submit_goes_to_login(self, client, course):
        response = submit_quiz(client, course.quiz_lesson, answer_key(course.quiz_lesson))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")

    def test_other_learners_attempts_are_404(self, client, course, enrolled):
        submit_quiz(client, course.quiz_lesson, answer_key(course.quiz_lesson))
        attempt = QuizAttempt.objects.get()
        client.force_login(UserFactory())
        assert client.get(f"/learn/attempts/{attempt.pk}/").status_code == 404

    def test_past_results_survive_edits_of_the_quiz(self, client, course, enrolled):
        response = submit_quiz(client, course.quiz_lesson, answer_key(course.quiz_lesson))
        lesson = course.quiz_lesson
        lesson.body = lesson_body(quiz(true_false(prompt="A brand new question")))
        lesson.save_revision().publish()
        page = client.get(response["Location"]).content
        assert b"Which is a phishing sign?" in page
        assert b"A brand new question" not in page
