"""Capacity holds when many learners enrol at the same moment, and a learner's parallel
quiz submits and completions count once (PostgreSQL only)."""

import uuid

import pytest

from certificates import services as certificate_services
from certificates.models import Certificate
from learner import services
from learner.models import Enrollment, QuizAttempt
from lessons.models import LessonPage
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import EnrollmentFactory, UserFactory, answer_key, small_course
from tests.parallel import requires_postgresql, run_in_parallel

Status = Enrollment.Status


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestParallelEnrollment:
    def run_in_parallel(self, course, users):
        def enrol(user):
            try:
                return services.enrollment_request(user=user, course=course).status
            except services.LearningError as error:
                return str(error)

        return run_in_parallel(enrol, users)

    def test_thirty_parallel_enrollments_fill_exactly_ten_seats(self):
        course = CoursePageFactory(capacity=10, waitlist_enabled=True)
        users = [UserFactory() for _ in range(30)]
        results = self.run_in_parallel(course, users)
        assert results.count(Status.ACTIVE) == 10
        assert results.count(Status.WAITLISTED) == 20
        assert Enrollment.objects.filter(course=course, status=Status.ACTIVE).count() == 10

    def test_without_a_waitlist_the_rest_are_refused(self):
        course = CoursePageFactory(capacity=10, waitlist_enabled=False)
        users = [UserFactory() for _ in range(30)]
        results = self.run_in_parallel(course, users)
        assert results.count(Status.ACTIVE) == 10
        assert results.count("This course is full.") == 20
        assert Enrollment.objects.filter(course=course).count() == 10

    def test_the_same_learner_clicking_twice_in_parallel_gets_one_enrollment(self):
        course = CoursePageFactory()
        user = UserFactory()
        results = self.run_in_parallel(course, [user] * 8)
        assert set(results) == {Status.ACTIVE}
        assert Enrollment.objects.filter(course=course, user=user).count() == 1


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestParallelQuizSubmit:
    """The quiz service reads attempts and progress only after taking the enrolment's
    lock, so requests that queued behind it see what the one before them committed."""

    @pytest.fixture(autouse=True)
    def no_certificates(self, monkeypatch):
        monkeypatch.setattr(certificate_services, "_enqueue_render", lambda certificate: None)

    @pytest.fixture(params=["enrollment", "user"])
    def submit(self, request):
        """Submit the quiz through the service for a known enrolment, or as the quiz
        view does, with the access check taking the lock (``quiz_submit_as``)."""

        def submit(enrollment, lesson_id, token):
            lesson = LessonPage.objects.get(pk=lesson_id)
            arguments = {"lesson": lesson, "data": answer_key(lesson), "token": token}
            if request.param == "user":
                return services.quiz_submit_as(user=enrollment.user, **arguments).pk
            return services.quiz_submit(enrollment=enrollment, **arguments).pk

        return submit

    def test_the_same_form_sent_eight_times_at_once_records_one_attempt(self, submit):
        course = small_course()
        enrollment = EnrollmentFactory(course=course.course)
        token = str(uuid.uuid4())

        results = run_in_parallel(
            lambda _: submit(enrollment, course.quiz_lesson.pk, token), range(8)
        )

        assert len(set(results)) == 1
        assert QuizAttempt.objects.filter(enrollment=enrollment).count() == 1

    def test_the_last_lesson_and_the_quiz_done_at_once_complete_the_course_once(self, submit):
        course = small_course(issues_certificate=True)
        enrollment = EnrollmentFactory(course=course.course)
        services.lesson_complete(enrollment=enrollment, lesson=course.reading)

        def finish(which):
            if which == "quiz":
                return submit(enrollment, course.quiz_lesson.pk, str(uuid.uuid4()))
            return services.lesson_complete(enrollment=enrollment, lesson=course.last).pk

        run_in_parallel(finish, ["quiz", "last"])

        enrollment.refresh_from_db()
        assert enrollment.status == Status.COMPLETED
        assert (enrollment.lessons_completed, enrollment.progress_percent) == (3, 100)
        assert Certificate.objects.filter(enrollment=enrollment).count() == 1
