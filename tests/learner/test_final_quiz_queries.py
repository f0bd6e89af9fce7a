"""The final quiz submit, the POST that completes a required course with a certificate,
keeps to its query budget (bench/README.md, "The final quiz submit's budget").

It writes more than a page reads: the attempt, the lesson's progress, the enrolment,
the compliance cycle and its confirmation, the certificate counter and the
certificate. The budget is what that costs with one lock, taken by the access check's
read of the enrolment, no repeated reads and no nested savepoints but the one the
certificate's insert needs; the queries a test client adds (the session in the
database) are counted in. The lesson comes from the content cache, as after the first
action anyone took on it since it was published; the first costs one query more.
"""

import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

import pytest

from base.cache import content_key
from certificates.models import Certificate
from compliance.models import Assignment, NotificationLog
from learner import services
from learner.models import Enrollment, QuizAttempt
from lessons.selectors import live_lesson
from tests.compliance.factories import AssignmentFactory, TrainingRequirementFactory
from tests.learner.factories import EnrollmentFactory, answer_key, small_course

pytestmark = pytest.mark.django_db

#: One audit entry: Wagtail's log row, the chain head's read and the entry (and on
#: PostgreSQL the chain's lock first): the price of a tamper-evident trail (audit/).
AUDIT_ENTRY = 4 if connection.vendor == "postgresql" else 3
#: The final quiz POST, to the response: bench/README.md lists each statement, plus the
#: audit entries of the attempt, the course's completion and the certificate.
FINAL_QUIZ_BUDGET = 16 + 3 * AUDIT_ENTRY
#: A course with sequential lessons also reads the completed lessons to let the quiz in.
SEQUENTIAL_EXTRA = 1
#: A lesson not in the content cache yet is read from the database.
UNCACHED_LESSON_EXTRA = 1
#: The same form again: the learner, then, in the transaction, the enrolment (locked)
#: and the attempts, which include the one it made.
REPLAY_BUDGET = 5


def final_quiz_ready(client, *, sequential: bool = False):
    """A learner who has done every lesson of a required, certificate-issuing course
    but its quiz, with an open cycle of the requirement, signed in, having opened the
    quiz lesson (as they must to answer it)."""
    course = small_course(issues_certificate=True, sequential_lessons=sequential)
    enrollment = EnrollmentFactory(course=course.course)
    requirement = TrainingRequirementFactory(course=course.course)
    AssignmentFactory(requirement=requirement, user=enrollment.user)
    for lesson in (course.reading, course.last):
        services.lesson_complete(enrollment=enrollment, lesson=lesson)
    client.force_login(enrollment.user)
    assert client.get(course.quiz_lesson.url).status_code == 200
    assert live_lesson(lesson_id=course.quiz_lesson.pk) is not None  # now in the content cache
    # Content types are read once per process; the test database's ids are new.
    ContentType.objects.get_for_models(QuizAttempt, Certificate)
    payload = {**answer_key(course.quiz_lesson), "submission_token": [str(uuid.uuid4())]}
    return course, enrollment, payload


class TestFinalQuizQueries:
    @pytest.mark.parametrize(
        ("sequential", "budget"),
        [(False, FINAL_QUIZ_BUDGET), (True, FINAL_QUIZ_BUDGET + SEQUENTIAL_EXTRA)],
    )
    def test_the_submit_that_completes_the_course_keeps_to_its_budget(
        self, client, django_assert_max_num_queries, sequential, budget
    ):
        course, enrollment, payload = final_quiz_ready(client, sequential=sequential)

        with django_assert_max_num_queries(budget):
            response = client.post(f"/learn/lessons/{course.quiz_lesson.pk}/quiz/", payload)

        attempt = enrollment.quiz_attempts.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("learner:attempt", args=[attempt.pk])
        enrollment.refresh_from_db()
        assert enrollment.status == Enrollment.Status.COMPLETED
        assert (enrollment.lessons_completed, enrollment.progress_percent) == (3, 100)
        assert Certificate.objects.filter(enrollment=enrollment).count() == 1
        assignment = Assignment.objects.get(user=enrollment.user)
        assert assignment.enrollment_id == enrollment.pk and assignment.completed_on
        assert NotificationLog.objects.filter(assignment=assignment).count() == 1

    def test_a_lesson_not_in_the_cache_yet_costs_one_query_more(
        self, client, django_assert_max_num_queries
    ):
        course, enrollment, payload = final_quiz_ready(client)
        cache.delete(content_key("live-lesson", course.quiz_lesson.pk))

        with django_assert_max_num_queries(FINAL_QUIZ_BUDGET + UNCACHED_LESSON_EXTRA):
            response = client.post(f"/learn/lessons/{course.quiz_lesson.pk}/quiz/", payload)

        assert response.status_code == 302
        enrollment.refresh_from_db()
        assert enrollment.status == Enrollment.Status.COMPLETED

    def test_submitting_the_same_form_again_changes_nothing(
        self, client, django_assert_max_num_queries
    ):
        course, enrollment, payload = final_quiz_ready(client)
        path = f"/learn/lessons/{course.quiz_lesson.pk}/quiz/"
        first = client.post(path, payload)

        with django_assert_max_num_queries(REPLAY_BUDGET):
            again = client.post(path, payload)

        assert again["Location"] == first["Location"]
        assert enrollment.quiz_attempts.count() == 1
        assert Certificate.objects.filter(enrollment=enrollment).count() == 1
