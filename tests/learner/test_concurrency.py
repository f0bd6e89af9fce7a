"""Capacity holds when many learners enrol at the same moment (PostgreSQL only)."""

import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import connection, connections

import pytest

from learner import services
from learner.models import Enrollment
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import UserFactory

Status = Enrollment.Status

requires_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL row locks and parallel connections; SQLite's in-memory test "
    "database is one connection (CI runs this with DATABASE_URL set)",
)


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestParallelEnrolment:
    def run_in_parallel(self, course, users):
        barrier = threading.Barrier(len(users))

        def enrol(user):
            try:
                barrier.wait(timeout=30)
                return services.enrollment_request(user=user, course=course).status
            except services.LearningError as error:
                return str(error)
            finally:
                connections.close_all()

        with ThreadPoolExecutor(max_workers=len(users)) as pool:
            return list(pool.map(enrol, users))

    def test_thirty_parallel_enrolments_fill_exactly_ten_seats(self):
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

    def test_the_same_learner_clicking_twice_in_parallel_gets_one_enrolment(self):
        course = CoursePageFactory()
        user = UserFactory()
        results = self.run_in_parallel(course, [user] * 8)
        assert set(results) == {Status.ACTIVE}
        assert Enrollment.objects.filter(course=course, user=user).count() == 1
