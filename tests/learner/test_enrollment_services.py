"""Enrolment policies, capacity, waitlist and the request/approval cycle."""

from django.core import mail
from django.db import IntegrityError, transaction

import pytest

from learner import services
from learner.models import Enrollment
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import EnrollmentFactory, UserFactory

Status = Enrollment.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def instructor():
    return UserFactory(username="inst")


class TestOpenCourses:
    def test_open_course_enrols_at_once(self):
        course = CoursePageFactory(enrollment_policy="open")
        enrollment = services.enrollment_request(user=UserFactory(), course=course)
        assert enrollment.status == Status.ACTIVE
        assert enrollment.activated_at is not None

    def test_full_course_puts_learner_on_waitlist(self):
        course = CoursePageFactory(capacity=1, waitlist_enabled=True)
        services.enrollment_request(user=UserFactory(), course=course)
        second = services.enrollment_request(user=UserFactory(), course=course)
        assert second.status == Status.WAITLISTED

    def test_full_course_without_waitlist_refuses_with_a_reason(self):
        course = CoursePageFactory(capacity=1, waitlist_enabled=False)
        services.enrollment_request(user=UserFactory(), course=course)
        with pytest.raises(services.LearningError, match="This course is full."):
            services.enrollment_request(user=UserFactory(), course=course)
        assert Enrollment.objects.filter(course=course).count() == 1

    def test_closed_course_refuses(self):
        course = CoursePageFactory(enrollment_policy="closed")
        with pytest.raises(services.LearningError, match="not taking new enrolments"):
            services.enrollment_request(user=UserFactory(), course=course)
        assert not Enrollment.objects.exists()

    def test_unpublished_course_refuses(self):
        course = CoursePageFactory()
        course.unpublish()
        with pytest.raises(services.LearningError, match="not available"):
            services.enrollment_request(user=UserFactory(), course=course)

    def test_enrolling_twice_returns_the_same_enrollment(self):
        course = CoursePageFactory()
        user = UserFactory()
        first = services.enrollment_request(user=user, course=course)
        again = services.enrollment_request(user=user, course=course)
        assert first.pk == again.pk
        assert Enrollment.objects.count() == 1

    def test_database_refuses_two_open_enrollments(self):
        existing = EnrollmentFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            EnrollmentFactory(user=existing.user, course=existing.course, status=Status.PENDING)

    def test_retake_after_completion_is_a_new_enrollment(self):
        done = EnrollmentFactory(status=Status.COMPLETED)
        retake = services.enrollment_request(user=done.user, course=done.course)
        assert retake.pk != done.pk
        assert retake.status == Status.ACTIVE
        done.refresh_from_db()
        assert done.status == Status.COMPLETED


class TestWithdrawAndWaitlist:
    def test_withdrawing_promotes_the_oldest_waitlisted_learner_and_emails_them(
        self, django_capture_on_commit_callbacks
    ):
        course = CoursePageFactory(capacity=1)
        seated = services.enrollment_request(user=UserFactory(), course=course)
        oldest = services.enrollment_request(user=UserFactory(username="oldest"), course=course)
        newer = services.enrollment_request(user=UserFactory(username="newer"), course=course)
        with django_capture_on_commit_callbacks(execute=True):
            services.enrollment_withdraw(enrollment=seated)
        oldest.refresh_from_db()
        newer.refresh_from_db()
        assert oldest.status == Status.ACTIVE
        assert newer.status == Status.WAITLISTED
        assert [m.to for m in mail.outbox] == [["oldest@example.com"]]
        assert course.title in mail.outbox[0].subject
        assert mail.outbox[0].alternatives, "the email has an HTML part"

    def test_leaving_the_waitlist_frees_no_seat(self):
        course = CoursePageFactory(capacity=1)
        services.enrollment_request(user=UserFactory(), course=course)
        waiting = services.enrollment_request(user=UserFactory(), course=course)
        behind = services.enrollment_request(user=UserFactory(), course=course)
        services.enrollment_withdraw(enrollment=waiting)
        behind.refresh_from_db()
        assert behind.status == Status.WAITLISTED

    def test_withdrawing_twice_is_refused(self):
        enrollment = EnrollmentFactory()
        services.enrollment_withdraw(enrollment=enrollment)
        with pytest.raises(services.LearningError, match="already ended"):
            services.enrollment_withdraw(enrollment=enrollment)

    def test_raising_capacity_and_promoting_fills_new_seats_in_order(self):
        course = CoursePageFactory(capacity=1)
        services.enrollment_request(user=UserFactory(), course=course)
        waiting = [services.enrollment_request(user=UserFactory(), course=course) for _ in range(3)]
        course.capacity = 3
        course.save()
        promoted = services.waitlist_promote(course=course)
        assert [e.pk for e in promoted] == [waiting[0].pk, waiting[1].pk]


class TestApproval:
    def test_request_stays_pending_and_is_acknowledged(self, django_capture_on_commit_callbacks):
        course = CoursePageFactory(enrollment_policy="approval")
        with django_capture_on_commit_callbacks(execute=True):
            enrollment = services.enrollment_request(user=UserFactory(), course=course)
        assert enrollment.status == Status.PENDING
        assert "We received your request" in mail.outbox[0].subject

    def test_approving_activates_and_emails(self, instructor, django_capture_on_commit_callbacks):
        course = CoursePageFactory(enrollment_policy="approval")
        enrollment = services.enrollment_request(user=UserFactory(), course=course)
        with django_capture_on_commit_callbacks(execute=True):
            services.enrollment_approve(enrollment=enrollment, by=instructor)
        enrollment.refresh_from_db()
        assert enrollment.status == Status.ACTIVE
        assert enrollment.decided_by == instructor
        assert mail.outbox[-1].subject.startswith("You're in")

    def test_approving_into_a_full_course_waitlists(self, instructor):
        course = CoursePageFactory(enrollment_policy="approval", capacity=1)
        first = services.enrollment_request(user=UserFactory(), course=course)
        second = services.enrollment_request(user=UserFactory(), course=course)
        services.enrollment_approve(enrollment=first, by=instructor)
        services.enrollment_approve(enrollment=second, by=instructor)
        second.refresh_from_db()
        assert second.status == Status.WAITLISTED

    def test_rejecting_needs_a_reason_and_emails_it(
        self, instructor, django_capture_on_commit_callbacks
    ):
        course = CoursePageFactory(enrollment_policy="approval")
        enrollment = services.enrollment_request(user=UserFactory(), course=course)
        with pytest.raises(services.LearningError, match="reason"):
            services.enrollment_reject(enrollment=enrollment, by=instructor, reason="  ")
        with django_capture_on_commit_callbacks(execute=True):
            services.enrollment_reject(
                enrollment=enrollment, by=instructor, reason="For managers only."
            )
        enrollment.refresh_from_db()
        assert enrollment.status == Status.REJECTED
        assert "For managers only." in mail.outbox[-1].body

    def test_only_pending_requests_can_be_decided(self, instructor):
        enrollment = EnrollmentFactory(status=Status.ACTIVE)
        with pytest.raises(services.LearningError):
            services.enrollment_approve(enrollment=enrollment, by=instructor)
        with pytest.raises(services.LearningError):
            services.enrollment_reject(enrollment=enrollment, by=instructor, reason="x")
