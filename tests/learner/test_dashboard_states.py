"""The dashboard says what each enrolment is: an approval request is awaiting
approval, a waitlist place is waiting for a place."""

import pytest

from learner.models import Enrollment
from tests.learner.factories import EnrollmentFactory, UserFactory, small_course

Status = Enrollment.Status
pytestmark = pytest.mark.django_db


def section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"')[1].split("</section>")[0]


def test_requests_and_waitlists_are_separate_states(client):
    learner = UserFactory()
    asked = small_course(title="Leadership", enrollment_policy="approval")
    full = small_course(title="Knots")
    EnrollmentFactory(user=learner, course=asked.course, status=Status.PENDING, activated_at=None)
    EnrollmentFactory(user=learner, course=full.course, status=Status.WAITLISTED, activated_at=None)
    client.force_login(learner)
    html = client.get("/dashboard/").content.decode()

    awaiting = section(html, "awaiting-approval")
    waiting = section(html, "waiting")
    assert "Awaiting approval</h2>" in html
    assert "Leadership" in awaiting and "Knots" not in awaiting
    assert "Knots" in waiting and "Leadership" not in waiting
    assert "Waiting for a place" in html


def test_no_waiting_section_for_a_request_alone(client):
    learner = UserFactory()
    asked = small_course(enrollment_policy="approval")
    EnrollmentFactory(user=learner, course=asked.course, status=Status.PENDING, activated_at=None)
    client.force_login(learner)
    html = client.get("/dashboard/").content.decode()
    assert "Awaiting approval" in html
    assert "Waiting for a place" not in html
