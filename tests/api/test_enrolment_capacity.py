"""Enrolment through the API holds a course's capacity under parallel requests, like the
web's (PostgreSQL only: see ``tests.learner.test_concurrency``)."""

import pytest
from rest_framework.test import APIClient

from api.services import access_token_create
from learner.models import Enrollment
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import UserFactory
from tests.parallel import requires_postgresql, run_in_parallel

Status = Enrollment.Status
ENROLMENTS = "/api/v1/enrolments/"


def enrol_all(course, secrets: list[str]) -> list[tuple[int, str]]:
    """POST an enrolment with each token at the same moment: (status code, enrolment
    status or problem detail) for each."""

    def enrol(secret: str) -> tuple[int, str]:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        response = client.post(ENROLMENTS, {"course_id": course.pk}, format="json")
        body = response.json()
        return response.status_code, body["detail"] if response.status_code >= 400 else body[
            "status"
        ]

    return run_in_parallel(enrol, secrets)


def learn_token(user) -> str:
    return access_token_create(user=user, name="Parallel", scopes=["learn"])[1]


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestParallelEnrolmentThroughTheApi:
    def test_twenty_parallel_requests_fill_exactly_five_seats(self):
        course = CoursePageFactory(capacity=5, waitlist_enabled=True)
        secrets = [learn_token(UserFactory()) for _ in range(20)]
        results = enrol_all(course, secrets)
        assert results.count((201, Status.ACTIVE)) == 5
        assert results.count((201, Status.WAITLISTED)) == 15
        assert Enrollment.objects.filter(course=course, status=Status.ACTIVE).count() == 5
        assert Enrollment.objects.filter(course=course).count() == 20

    def test_without_a_waitlist_the_rest_are_refused(self):
        course = CoursePageFactory(capacity=5, waitlist_enabled=False)
        secrets = [learn_token(UserFactory()) for _ in range(20)]
        results = enrol_all(course, secrets)
        assert results.count((201, Status.ACTIVE)) == 5
        assert results.count((400, "This course is full.")) == 15
        assert Enrollment.objects.filter(course=course).count() == 5

    def test_one_learner_sending_eight_at_once_gets_one_enrolment(self):
        course = CoursePageFactory(capacity=5)
        user = UserFactory()
        results = enrol_all(course, [learn_token(user)] * 8)
        assert {status for _, status in results} == {Status.ACTIVE}
        assert [code for code, _ in results].count(201) == 1
        assert Enrollment.objects.filter(course=course, user=user).count() == 1
