"""The assignments screen: each person's current cycle, and exempting them (with a
reason) or lifting the exemption."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from accounts.models import Profile
from compliance import services
from tests.compliance.factories import AssignmentFactory, days, today
from tests.compliance.screens import ASSIGNMENTS_URL
from tests.learner.factories import UserFactory
from tests.responses import message_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def ann_assignment(security):
    return AssignmentFactory(
        requirement=security,
        user=UserFactory(username="ann", first_name="Ann", last_name="Ames"),
        assigned_on=days(-5),
        due_on=days(25),
    )


def exempt_url(assignment) -> str:
    return reverse("compliance_assignments:exempt", args=[assignment.pk])


def unexempt_url(assignment) -> str:
    return reverse("compliance_assignments:unexempt", args=[assignment.pk])


class TestExemptions:
    def test_listing_shows_current_cycles_with_the_action(
        self, client, compliance_admin, ann_assignment
    ):
        client.force_login(compliance_admin)
        response = client.get(ASSIGNMENTS_URL)
        assert response.status_code == 200
        assert list(response.context["object_list"]) == [ann_assignment]
        content = response.content.decode()
        assert "Ann Ames" in content
        assert exempt_url(ann_assignment) in content

    def test_filters_by_requirement_and_person(self, client, compliance_admin, ann_assignment):
        other = AssignmentFactory(user=UserFactory(username="bob", first_name="Bob"))
        client.force_login(compliance_admin)
        response = client.get(ASSIGNMENTS_URL, {"requirement": other.requirement_id})
        assert list(response.context["object_list"]) == [other]
        response = client.get(ASSIGNMENTS_URL, {"q": "ann ames"})
        assert list(response.context["object_list"]) == [ann_assignment]

    def test_exempt_with_a_reason(self, client, compliance_admin, ann_assignment):
        client.force_login(compliance_admin)
        back = f"{ASSIGNMENTS_URL}?q=ann"
        response = client.post(
            exempt_url(ann_assignment), {"reason": "  Certified elsewhere.  ", "next": back}
        )
        assert response.status_code == 302
        assert response["Location"] == back
        ann_assignment.refresh_from_db()
        assert ann_assignment.exempt
        assert ann_assignment.exemption_reason == "Certified elsewhere."
        assert ann_assignment.exempted_by == compliance_admin
        assert ann_assignment.exempted_on == today()
        assert any("is exempt from “Security”" in text for text in message_texts(response))
        listing = client.get(ASSIGNMENTS_URL).content.decode()
        assert "Certified elsewhere." in listing
        assert unexempt_url(ann_assignment) in listing

    @pytest.mark.parametrize("data", [{}, {"reason": "   "}])
    def test_an_empty_reason_changes_nothing_and_says_why(
        self, client, compliance_admin, ann_assignment, data
    ):
        client.force_login(compliance_admin)
        response = client.post(exempt_url(ann_assignment), data)
        assert response.status_code == 400
        content = response.content.decode()
        assert "Give a reason for the exemption." in content
        assert f'id="exempt-reason-{ann_assignment.pk}-error"' in content
        ann_assignment.refresh_from_db()
        assert not ann_assignment.exempt
        assert ann_assignment.exempted_by is None

    def test_lift_an_exemption(self, client, compliance_admin, ann_assignment):
        services.assignment_exempt(
            assignment=ann_assignment, by=compliance_admin, reason="On leave"
        )
        client.force_login(compliance_admin)
        response = client.post(unexempt_url(ann_assignment), {"next": "https://evil.example/"})
        assert response.status_code == 302
        assert response["Location"] == ASSIGNMENTS_URL
        ann_assignment.refresh_from_db()
        assert not ann_assignment.exempt
        assert ann_assignment.exemption_reason == ""
        assert any("Lifted Ann Ames" in text for text in message_texts(response))

    def test_an_instructor_cannot_exempt(self, client, instructor, ann_assignment):
        client.force_login(instructor)
        response = client.post(exempt_url(ann_assignment), {"reason": "Because"})
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
        ann_assignment.refresh_from_db()
        assert not ann_assignment.exempt

    def test_a_manager_cannot_exempt_their_people(self, client, instructor, ann_assignment):
        Profile.objects.create(user=ann_assignment.user, manager=instructor)
        client.force_login(instructor)
        client.post(exempt_url(ann_assignment), {"reason": "Because"})
        ann_assignment.refresh_from_db()
        assert not ann_assignment.exempt

    def test_get_is_405_and_unknown_ids_404(self, client, compliance_admin, ann_assignment):
        client.force_login(compliance_admin)
        assert client.get(exempt_url(ann_assignment)).status_code == 405
        assert client.get(unexempt_url(ann_assignment)).status_code == 405
        assert client.post(f"{ASSIGNMENTS_URL}999999/exempt/", {"reason": "x"}).status_code == 404
        assert client.post(f"{ASSIGNMENTS_URL}999999/unexempt/").status_code == 404

    def test_query_count_does_not_grow_with_rows(
        self, client, compliance_admin, security, django_assert_max_num_queries
    ):
        for _ in range(3):
            AssignmentFactory(requirement=security, exempt=True, exempted_by=compliance_admin)
        client.force_login(compliance_admin)
        with CaptureQueriesContext(connection) as few:
            assert client.get(ASSIGNMENTS_URL).status_code == 200
        for _ in range(20):
            AssignmentFactory(requirement=security, exempt=True, exempted_by=compliance_admin)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(ASSIGNMENTS_URL)
        assert len(response.context["object_list"]) == 23
