"""Fixtures shared by the learner tests: a small course with an enrolled, signed-in
learner, and two approval courses with their instructors for the admin screens.

A module that needs another ``course`` or ``learner`` defines its own fixture of that
name, which takes precedence in that module.
"""

import pytest

from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import (
    EnrollmentFactory,
    UserFactory,
    add_instructor,
    course_editor,
    course_instructor,
    small_course,
)


@pytest.fixture
def course():
    """A small course: a reading lesson, a quiz lesson and another reading."""
    return small_course()


@pytest.fixture
def enrolled(client, course):
    """An active enrolment in ``course``, its learner signed in on ``client``."""
    enrollment = EnrollmentFactory(course=course.course)
    client.force_login(enrollment.user)
    return enrollment


@pytest.fixture
def course_a(catalog):
    return CoursePageFactory(title="Anatomy", enrollment_policy="approval")


@pytest.fixture
def course_b(catalog):
    return CoursePageFactory(title="Botany", enrollment_policy="approval")


@pytest.fixture
def instructor(course_a, course_b):
    """An instructor of both courses (through the shipped Instructors group)."""
    user = course_instructor(course_a, "ines")
    add_instructor(course_b, user)
    return user


@pytest.fixture
def botanist(course_b):
    """Another instructor, who may edit only the Botany course."""
    return course_editor(course_b, "otto")


@pytest.fixture
def learner():
    """A learner with no enrolment, and no admin access."""
    return UserFactory(username="lena", first_name="Lena", last_name="Lind")
