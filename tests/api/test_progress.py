"""An enrolment's progress and quiz attempts through the API: the learner's own, their
instructors', nobody else's; answers as given, never the answer key."""

import uuid

import pytest
from rest_framework.test import APIClient

from learner import services
from tests.learner.factories import (
    EnrollmentFactory,
    UserFactory,
    answer_key,
    course_instructor,
    small_course,
)

ENROLMENTS = "/api/v1/enrolments/"
ATTEMPTS = "/api/v1/attempts/"


def submit(enrollment, lesson, *, correct: bool):
    return services.quiz_submit(
        enrollment=enrollment,
        lesson=lesson,
        data=answer_key(lesson, correct=correct),
        token=str(uuid.uuid4()),
    )


@pytest.fixture
def course(catalog):
    return small_course()


@pytest.fixture
def enrollment(course, learner):
    """The learner's enrolment, with the reading done (viewed twice, 90 seconds) and a
    failed then a passed quiz attempt."""
    enrollment = EnrollmentFactory(user=learner, course=course.course)
    services.lesson_view(enrollment=enrollment, lesson=course.reading)
    services.lesson_view(enrollment=enrollment, lesson=course.reading)
    services.lesson_time_add(enrollment=enrollment, lesson=course.reading, seconds=90)
    services.lesson_complete(enrollment=enrollment, lesson=course.reading)
    services.lesson_view(enrollment=enrollment, lesson=course.quiz_lesson)
    submit(enrollment, course.quiz_lesson, correct=False)
    submit(enrollment, course.quiz_lesson, correct=True)
    return enrollment


@pytest.mark.django_db
class TestProgress:
    def test_the_learner_sees_each_lesson_and_attempt(self, client_with_token, enrollment):
        response = client_with_token.get(f"{ENROLMENTS}{enrollment.pk}/progress/")
        assert response.status_code == 200
        body = response.json()
        assert body["enrollment"]["id"] == enrollment.pk
        assert body["time_spent_seconds"] == 90
        reading, quiz, last = body["lessons"]
        assert (reading["title"], reading["views"], reading["time_spent_seconds"]) == (
            "Reading",
            2,
            90,
        )
        assert reading["completed_at"] and quiz["completed_at"]
        assert last["completed_at"] is None and last["views"] == 0
        assert [a["passed"] for a in body["attempts"]] == [False, True]

    def test_the_courses_instructor_sees_it(self, bearer, course, enrollment):
        instructor = course_instructor(course.course, "ines")
        response = bearer(instructor, "read").get(f"{ENROLMENTS}{enrollment.pk}/progress/")
        assert response.status_code == 200

    def test_another_learner_and_another_instructor_get_404(self, bearer, catalog, enrollment):
        other_course = small_course()
        for user in (UserFactory(username="olga"), course_instructor(other_course.course, "o")):
            url = f"{ENROLMENTS}{enrollment.pk}/progress/"
            assert bearer(user, "read").get(url).status_code == 404

    def test_anonymous_401_and_wrong_scope_403(self, bearer, learner, enrollment):
        url = f"{ENROLMENTS}{enrollment.pk}/progress/"
        assert APIClient().get(url).status_code == 401
        assert bearer(learner, "learn").get(url).status_code == 403

    @pytest.mark.parametrize("attempts", [1, 20])
    def test_query_budget_does_not_grow_with_attempts(
        self, bearer, course, learner, django_assert_max_num_queries, attempts
    ):
        enrollment = EnrollmentFactory(user=learner, course=course.course)
        for _ in range(attempts):
            submit(enrollment, course.quiz_lesson, correct=False)
        client = bearer(learner, "read")
        with django_assert_max_num_queries(7):
            response = client.get(f"{ENROLMENTS}{enrollment.pk}/progress/")
        assert len(response.json()["attempts"]) == attempts


@pytest.mark.django_db
class TestAttempts:
    def test_own_list_with_filters(self, client_with_token, enrollment, course, catalog):
        elsewhere = small_course()
        submit(EnrollmentFactory(course=elsewhere.course), elsewhere.quiz_lesson, correct=True)
        body = client_with_token.get(ATTEMPTS).json()
        assert body["count"] == 2
        assert [row["number"] for row in body["results"]] == [2, 1]
        assert body["results"][0]["course_id"] == course.course.pk
        filtered = client_with_token.get(ATTEMPTS, {"enrollment": enrollment.pk, "lesson": 1})
        assert filtered.json()["count"] == 0
        by_course = client_with_token.get(ATTEMPTS, {"course": course.course.pk})
        assert by_course.json()["count"] == 2
        assert client_with_token.get(ATTEMPTS, {"lesson": "x"}).status_code == 400

    def test_staff_view_lists_their_courses_attempts(self, bearer, enrollment, course, catalog):
        elsewhere = small_course()
        submit(EnrollmentFactory(course=elsewhere.course), elsewhere.quiz_lesson, correct=True)
        instructor = course_instructor(course.course, "ines")
        body = bearer(instructor, "read").get(ATTEMPTS, {"view": "staff"}).json()
        assert body["count"] == 2
        assert {row["enrollment_id"] for row in body["results"]} == {enrollment.pk}
        assert bearer(instructor, "read").get(ATTEMPTS).json()["count"] == 0

    def test_detail_shows_answers_but_never_the_answer_key(self, client_with_token, enrollment):
        failed = enrollment.quiz_attempts.get(number=1)
        response = client_with_token.get(f"{ATTEMPTS}{failed.pk}/")
        assert response.status_code == 200
        body = response.json()
        assert (body["passed"], body["lesson_title"]) == (False, "Quiz time")
        assert body["questions"] and not any(q["correct"] for q in body["questions"])
        text = response.content.decode()
        for secret in ("is_correct", "accepted_answers", "explanation"):
            assert secret not in text
        accepted = [
            answer for record in failed.graded for answer in record.get("accepted_answers", [])
        ]
        assert accepted and not any(f'"{answer}"' in text for answer in accepted)

    def test_another_persons_attempt_is_404_their_instructors_200(
        self, bearer, course, enrollment, catalog
    ):
        attempt = enrollment.quiz_attempts.first()
        url = f"{ATTEMPTS}{attempt.pk}/"
        assert bearer(UserFactory(username="olga"), "read").get(url).status_code == 404
        other = course_instructor(small_course().course, "otto")
        assert bearer(other, "read").get(url).status_code == 404
        assert bearer(course_instructor(course.course, "ines"), "read").get(url).status_code == 200

    def test_anonymous_401_and_wrong_scope_403(self, bearer, learner, enrollment):
        attempt = enrollment.quiz_attempts.first()
        for url in (ATTEMPTS, f"{ATTEMPTS}{attempt.pk}/"):
            assert APIClient().get(url).status_code == 401
            assert bearer(learner, "learn").get(url).status_code == 403

    @pytest.mark.parametrize("attempts", [1, 20])
    def test_query_budget_does_not_grow_with_the_list(
        self, bearer, course, learner, django_assert_max_num_queries, attempts
    ):
        enrollment = EnrollmentFactory(user=learner, course=course.course)
        for _ in range(attempts):
            submit(enrollment, course.quiz_lesson, correct=False)
        client = bearer(learner, "read")
        with django_assert_max_num_queries(4):
            response = client.get(ATTEMPTS, {"page_size": 50})
        assert response.json()["count"] == attempts
