"""The compliance resources: everyone's status as of a date with the report's filters,
assignments, requirements with figures, and exemptions; who may see and change what."""

from django.contrib.auth.models import Group

import pytest
from rest_framework.test import APIClient

from audit.models import AuditEntry
from compliance.models import Assignment
from tests.compliance.factories import managed_by
from tests.compliance.report_history import JANUARY, JUNE, build_history
from tests.learner.factories import UserFactory, member_of

STATUS = "/api/v1/compliance/status/"
ASSIGNMENTS = "/api/v1/assignments/"
REQUIREMENTS = "/api/v1/requirements/"
PROBLEM = "application/problem+json"

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(catalog):
    return build_history()


@pytest.fixture
def compliance_admin(catalog):
    return member_of("Compliance admins", "cora", first_name="Cora", last_name="Admin")


@pytest.fixture
def manager(history):
    """The manager of the overdue and the compliant person, nobody else's."""
    boss = UserFactory(username="mona")
    managed_by(boss, history.people["overdue"], history.people["compliant"])
    return boss


def rows(response) -> list[str]:
    assert response.status_code == 200, response.content
    return sorted(
        f"{row['user']['username']}/{row['requirement_name']}" for row in response.json()["results"]
    )


class TestComplianceStatus:
    def test_lists_each_persons_current_cycle_as_the_report_does(
        self, bearer, compliance_admin, history
    ):
        api = bearer(compliance_admin, "compliance:read")
        response = api.get(STATUS, {"as_of": JUNE, "requirement": history.security.pk})
        assert response.status_code == 200
        found = {row["user"]["username"]: row for row in response.json()["results"]}
        assert {name: row["status"] for name, row in found.items()} == {
            "compliant": "compliant",
            "due_soon": "due_soon",
            "overdue": "overdue",
            "expired": "expired",
            "exempt": "exempt",
            "not_started": "not_started",
            "in_progress": "in_progress",
        }
        expired = found["expired"]
        assert expired["cycle"] == 2
        assert expired["expires_on"] == "2026-01-15"
        assert found["compliant"]["completed_on"] == "2026-01-20"
        assert found["exempt"]["exemption_reason"] == "Trained elsewhere"

    def test_who_is_overdue_on_an_earlier_date(self, bearer, compliance_admin, history):
        api = bearer(compliance_admin, "compliance:read")
        assert rows(api.get(STATUS, {"as_of": JUNE, "status": "overdue"})) == [
            "overdue/Fire safety",
            "overdue/Security",
        ]
        assert rows(api.get(STATUS, {"as_of": JANUARY, "status": "overdue"})) == ["leaver/Security"]

    def test_filters_as_the_by_person_report(self, bearer, compliance_admin, history):
        team = Group.objects.create(name="Night shift")
        team.user_set.add(history.people["overdue"], history.people["due_soon"])
        api = bearer(compliance_admin, "compliance:read")

        def usernames(**params):
            return rows(api.get(STATUS, {"as_of": JUNE, **params}))

        assert usernames(status=["overdue", "expired"]) == [
            "expired/Security",
            "overdue/Fire safety",
            "overdue/Security",
        ]
        assert usernames(group=team.pk, requirement=history.fire.pk) == ["overdue/Fire safety"]
        assert usernames(due_from="2026-06-01", due_to="2026-07-01") == [
            "due_soon/Security",
            "in_progress/Security",
            "not_started/Security",
        ]
        assert usernames(q="exempt person") == ["exempt/Security"]
        assert usernames(user_id=history.people["overdue"].pk) == [
            "overdue/Fire safety",
            "overdue/Security",
        ]

    def test_a_manager_sees_only_their_people_without_exemption_reasons(
        self, bearer, manager, history
    ):
        api = bearer(manager, "compliance:read")
        assert rows(api.get(STATUS, {"as_of": JUNE})) == [
            "compliant/Security",
            "overdue/Fire safety",
            "overdue/Security",
        ]
        row = api.get(STATUS, {"as_of": JUNE}).json()["results"][0]
        assert "exemption_reason" not in row

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"as_of": "2026-02-30"}, "YYYY-MM-DD"),
            ({"as_of": "1999-12-31"}, "between"),
            ({"status": "late"}, "late"),
            ({"requirement": "999999"}, "requirement"),
            ({"due_from": "soon"}, "YYYY-MM-DD"),
            ({"user_id": "lena"}, "user_id"),
        ],
    )
    def test_bad_filters_are_400_problem_json(
        self, bearer, compliance_admin, history, params, message
    ):
        response = bearer(compliance_admin, "compliance:read").get(STATUS, params)
        assert response.status_code == 400
        assert response["Content-Type"] == PROBLEM
        assert message in response.json()["detail"]


class TestAccess:
    @pytest.mark.parametrize(
        "url", [STATUS, ASSIGNMENTS, REQUIREMENTS, f"{ASSIGNMENTS}1/", f"{REQUIREMENTS}1/"]
    )
    def test_anonymous_is_401(self, db, url):
        response = APIClient().get(url)
        assert response.status_code == 401
        assert response["Content-Type"] == PROBLEM

    @pytest.mark.parametrize("url", [STATUS, ASSIGNMENTS, REQUIREMENTS])
    def test_wrong_scope_is_403(self, bearer, compliance_admin, url):
        response = bearer(compliance_admin, "read", "compliance:write").get(url)
        assert response.status_code == 403
        assert response["Content-Type"] == PROBLEM

    @pytest.mark.parametrize("url", [STATUS, ASSIGNMENTS, REQUIREMENTS])
    def test_a_learner_without_report_access_is_403(self, bearer, history, url):
        learner = history.people["overdue"]
        response = bearer(learner, "compliance:read").get(url)
        assert response.status_code == 403
        assert "compliance admins" in response.json()["detail"]

    def test_a_session_of_a_compliance_admin_reads_too(self, client, compliance_admin, history):
        client.force_login(compliance_admin)
        assert client.get(STATUS, {"as_of": JUNE}).status_code == 200


class TestAssignments:
    def test_lists_every_cycle_assigned_by_the_date(self, bearer, compliance_admin, history):
        api = bearer(compliance_admin, "compliance:read")
        listed = api.get(ASSIGNMENTS, {"as_of": JUNE, "user_id": history.people["expired"].pk})
        assert [(row["cycle"], row["status"]) for row in listed.json()["results"]] == [
            (1, "expired"),
            (2, "expired"),
        ]
        january = api.get(ASSIGNMENTS, {"as_of": "2025-06-01"}).json()["results"]
        assert [row["user"]["username"] for row in january] == ["expired"]

    def test_detail_with_status_on_the_date(self, bearer, compliance_admin, history):
        api = bearer(compliance_admin, "compliance:read")
        row = Assignment.objects.get(user=history.people["compliant"])
        body = api.get(f"{ASSIGNMENTS}{row.pk}/", {"as_of": JANUARY}).json()
        assert body["status"] == "not_started"
        assert body["requirement_name"] == "Security"
        assert body["course_title"] == "Security basics"
        assert api.get(f"{ASSIGNMENTS}{row.pk}/", {"as_of": JUNE}).json()["status"] == "compliant"

    def test_another_persons_assignment_is_404_for_a_manager(self, bearer, manager, history):
        api = bearer(manager, "compliance:read")
        mine = Assignment.objects.get(user=history.people["compliant"])
        theirs = Assignment.objects.get(user=history.people["due_soon"])
        assert api.get(f"{ASSIGNMENTS}{mine.pk}/").status_code == 200
        response = api.get(f"{ASSIGNMENTS}{theirs.pk}/")
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM
        assert api.get(f"{ASSIGNMENTS}99999999/").status_code == 404


class TestRequirements:
    def test_figures_for_the_callers_people_on_the_date(
        self, bearer, compliance_admin, manager, history
    ):
        listed = bearer(compliance_admin, "compliance:read").get(REQUIREMENTS, {"as_of": JUNE})
        assert listed.status_code == 200
        by_name = {row["name"]: row for row in listed.json()["results"]}
        security = by_name["Security"]["figures"]
        assert security["assigned"] == 7
        assert security["overdue"] == 1
        assert security["percent_compliant"] == 28  # compliant + exempt, of 7
        assert by_name["Security"]["reminder_days"] == [14, 7, 1]
        assert by_name["Fire safety"]["figures"]["overdue"] == 1

        managers = bearer(manager, "compliance:read").get(f"{REQUIREMENTS}{history.security.pk}/")
        figures = managers.json()["figures"]
        assert (figures["assigned"], figures["compliant"]) == (2, 1)

    def test_unknown_requirement_is_404(self, bearer, compliance_admin):
        response = bearer(compliance_admin, "compliance:read").get(f"{REQUIREMENTS}424242/")
        assert response.status_code == 404


class TestExemptions:
    def url(self, history, name="overdue"):
        row = Assignment.objects.get(user=history.people[name], requirement=history.security)
        return f"{ASSIGNMENTS}{row.pk}/exemption/"

    def test_exempt_and_lift_through_the_service_with_audit(
        self, bearer, compliance_admin, history
    ):
        api = bearer(compliance_admin, "compliance:write", "compliance:read")
        response = api.post(self.url(history), {"reason": "Trained at head office"}, format="json")
        assert response.status_code == 200, response.content
        body = response.json()
        assert (body["status"], body["exempt"]) == ("exempt", True)
        assert body["exemption_reason"] == "Trained at head office"
        assert body["exempted_by_id"] == compliance_admin.pk
        lifted = api.delete(self.url(history))
        assert lifted.status_code == 200
        assert (lifted.json()["status"], lifted.json()["exempt"]) == ("overdue", False)
        actions = AuditEntry.objects.filter(action__startswith="fledge.assignment.")
        assert list(actions.order_by("pk").values_list("action", flat=True)) == [
            "fledge.assignment.exempt",
            "fledge.assignment.unexempt",
        ]

    def test_a_double_submit_exempts_once(self, bearer, compliance_admin, history):
        api = bearer(compliance_admin, "compliance:write", "compliance:read")
        first = api.post(self.url(history), {"reason": "Trained elsewhere"}, format="json")
        again = api.post(self.url(history), {"reason": "Trained elsewhere"}, format="json")
        assert first.status_code == 200
        assert again.status_code == 200 and again.json() == first.json()
        exempted = AuditEntry.objects.filter(action="fledge.assignment.exempt")
        assert exempted.count() == 1
        assert api.delete(self.url(history)).status_code == 200
        assert api.delete(self.url(history)).status_code == 200  # lifting twice: once
        assert AuditEntry.objects.filter(action="fledge.assignment.unexempt").count() == 1

    @pytest.mark.parametrize("body", [{}, {"reason": "   "}, {"reason": "x" * 2001}])
    def test_a_reason_is_required(self, bearer, compliance_admin, history, body):
        api = bearer(compliance_admin, "compliance:write")
        response = api.post(self.url(history), body, format="json")
        assert response.status_code == 400
        assert response["Content-Type"] == PROBLEM
        assert not Assignment.objects.filter(exempt=True, exemption_reason="").exists()

    def test_read_scope_is_not_enough(self, bearer, compliance_admin, history):
        api = bearer(compliance_admin, "compliance:read")
        response = api.post(self.url(history), {"reason": "No"}, format="json")
        assert response.status_code == 403

    def test_a_manager_may_not_exempt(self, bearer, manager, history):
        api = bearer(manager, "compliance:write", "compliance:read")
        response = api.post(self.url(history), {"reason": "My call"}, format="json")
        assert response.status_code == 403
        assert api.delete(self.url(history, "exempt")).status_code == 403
        assert Assignment.objects.get(user=history.people["exempt"]).exempt

    def test_anonymous_is_401_and_unknown_is_404(self, bearer, compliance_admin, history):
        assert APIClient().post(self.url(history), {"reason": "x"}).status_code == 401
        api = bearer(compliance_admin, "compliance:write")
        response = api.post(f"{ASSIGNMENTS}99999999/exemption/", {"reason": "x"}, format="json")
        assert response.status_code == 404
