"""The learner's enrolment in a course and its completed lessons, read in one query,
are what the two separate reads answer, whatever enrolments the learner has had."""

import pytest

from learner import services
from learner.models import Enrollment
from learner.selectors import completed_lesson_ids, current_enrollment, enrollment_and_completed
from tests.learner.factories import EnrollmentFactory, UserFactory, small_course

Status = Enrollment.Status
pytestmark = pytest.mark.django_db


def both_ways(user, course, django_assert_num_queries):
    with django_assert_num_queries(1):
        one = enrollment_and_completed(user=user, course=course)
    enrollment = current_enrollment(user=user, course=course)
    assert one == (enrollment, completed_lesson_ids(enrollment=enrollment))
    return one


def test_one_query_agrees_with_the_two(catalog, django_assert_num_queries):
    course = small_course()
    learner = UserFactory()
    assert both_ways(learner, course.course, django_assert_num_queries) == (None, set())

    first = EnrollmentFactory(user=learner, course=course.course)
    services.lesson_complete(enrollment=first, lesson=course.reading)
    enrollment, done = both_ways(learner, course.course, django_assert_num_queries)
    assert enrollment == first and done == {course.reading.pk}

    # Completed, then taken again: the new, open enrolment and only its own ticks.
    Enrollment.objects.filter(pk=first.pk).update(status=Status.COMPLETED)
    again = EnrollmentFactory(user=learner, course=course.course)
    enrollment, done = both_ways(learner, course.course, django_assert_num_queries)
    assert enrollment == again and done == set()

    # Withdrawn from the retake: the completed one again, with its ticks.
    Enrollment.objects.filter(pk=again.pk).update(status=Status.WITHDRAWN)
    enrollment, done = both_ways(learner, course.course, django_assert_num_queries)
    assert enrollment == first and done == {course.reading.pk}
