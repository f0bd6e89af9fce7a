"""A course is completed once per enrolment: a repeated completion (a retried request,
a recount after the last lesson) announces nothing and keeps the first completion time.

Certificates are issued once per enrolment whatever the signal does, so these tests
listen to ``course_completed`` itself and read the stored completion time.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from learner.models import Enrollment
from learner.services import course_complete, lesson_complete, progress_recompute
from learner.signals import course_completed
from tests.learner.factories import EnrollmentFactory, small_course

Status = Enrollment.Status
pytestmark = pytest.mark.django_db

FIRST = datetime(2026, 5, 4, 10, 0, tzinfo=ZoneInfo("Europe/London"))
LATER = FIRST + timedelta(days=3, hours=2)


@pytest.fixture
def announcements():
    """The enrolments ``course_completed`` was sent for, in order."""
    sent: list[int] = []

    def listen(sender, enrollment, **kwargs):
        sent.append(enrollment.pk)

    course_completed.connect(listen, dispatch_uid="test-course-completion-once")
    yield sent
    course_completed.disconnect(dispatch_uid="test-course-completion-once")


@pytest.fixture
def enrollment():
    return EnrollmentFactory(course=small_course().course)


class TestCourseCompletedOnce:
    def test_first_completion_is_announced_and_dated(self, enrollment, announcements):
        course_complete(enrollment=enrollment, as_of=FIRST)
        enrollment.refresh_from_db()
        assert announcements == [enrollment.pk]
        assert (enrollment.status, enrollment.completed_at) == (Status.COMPLETED, FIRST)

    def test_completing_again_announces_nothing(self, enrollment, announcements):
        course_complete(enrollment=enrollment, as_of=FIRST)
        course_complete(enrollment=enrollment, as_of=LATER)
        assert announcements == [enrollment.pk]

    def test_completing_again_keeps_the_first_completion_time(self, enrollment, announcements):
        course_complete(enrollment=enrollment, as_of=FIRST)
        again = course_complete(enrollment=enrollment, as_of=LATER)
        enrollment.refresh_from_db()
        assert enrollment.completed_at == FIRST
        assert again.completed_at == FIRST

    def test_completing_a_stale_copy_of_the_enrollment_changes_nothing(
        self, enrollment, announcements
    ):
        # A second request still holding the enrolment as it was before completion.
        stale = Enrollment.objects.get(pk=enrollment.pk)
        course_complete(enrollment=enrollment, as_of=FIRST)
        course_complete(enrollment=stale, as_of=LATER)
        enrollment.refresh_from_db()
        assert announcements == [enrollment.pk]
        assert enrollment.completed_at == FIRST

    @pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.PENDING, Status.WAITLISTED])
    def test_an_enrollment_that_is_not_active_is_never_completed(self, status, announcements):
        enrollment = EnrollmentFactory(status=status)
        course_complete(enrollment=enrollment, as_of=FIRST)
        enrollment.refresh_from_db()
        assert enrollment.status == status and enrollment.completed_at is None
        assert announcements == []


class TestCompletionThroughTheLessons:
    def test_finishing_every_lesson_then_a_recount_announces_once(self, announcements):
        course = small_course()
        enrollment = EnrollmentFactory(course=course.course)
        for lesson in course.lessons:
            lesson_complete(enrollment=enrollment, lesson=lesson, as_of=FIRST)
        enrollment.refresh_from_db()
        assert enrollment.status == Status.COMPLETED
        progress_recompute(enrollment=enrollment, as_of=LATER)
        course_complete(enrollment=enrollment, as_of=LATER)
        enrollment.refresh_from_db()
        assert announcements == [enrollment.pk]
        assert enrollment.completed_at == FIRST
