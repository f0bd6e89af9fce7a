"""The compliance report by person: each person's current cycle and status on any
date, and its filters."""

from django.contrib.auth.models import Group

import pytest

from tests.compliance.report_history import JANUARY, JUNE
from tests.compliance.screens import REPORT_URL

pytestmark = pytest.mark.django_db


class TestReportByPerson:
    def test_lists_each_persons_current_cycle_on_the_date(self, client, compliance_admin, history):
        client.force_login(compliance_admin)
        response = client.get(REPORT_URL, {"as_of": JUNE, "requirement": history.security.pk})
        assert response.status_code == 200
        status_by_user = {row.user.username: row.status for row in response.context["object_list"]}
        assert status_by_user == {
            "compliant": "compliant",
            "due_soon": "due_soon",
            "overdue": "overdue",
            "expired": "expired",
            "exempt": "exempt",
            "not_started": "not_started",
            "in_progress": "in_progress",
        }
        expired = next(r for r in response.context["object_list"] if r.user.username == "expired")
        assert expired.cycle == 2
        content = response.content.decode()
        for text in ("Expired Person", "expired@example.com", "Security basics", "Due soon"):
            assert text in content
        assert "Each person's status on <strong>15 June 2026</strong>" in content

    def test_the_same_people_on_an_earlier_date(self, client, compliance_admin, history):
        client.force_login(compliance_admin)
        response = client.get(REPORT_URL, {"as_of": JANUARY})
        status_by_user = {row.user.username: row.status for row in response.context["object_list"]}
        assert status_by_user == {
            "compliant": "not_started",
            "expired": "compliant",
            "leaver": "overdue",
        }
        expired = next(r for r in response.context["object_list"] if r.user.username == "expired")
        assert expired.cycle == 2

    def test_filters_by_status_group_due_range_and_search(self, client, compliance_admin, history):
        people = history.people
        team = Group.objects.create(name="Night shift")
        team.user_set.add(people["overdue"], people["due_soon"])
        client.force_login(compliance_admin)

        def usernames(**params):
            response = client.get(REPORT_URL, {"as_of": JUNE, **params})
            assert response.status_code == 200
            return sorted(
                f"{row.user.username}/{row.requirement.name}"
                for row in response.context["object_list"]
            )

        assert usernames(status=["overdue", "expired"]) == [
            "expired/Security",
            "overdue/Fire safety",
            "overdue/Security",
        ]
        assert usernames(group=team.pk) == [
            "due_soon/Security",
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
        assert usernames(q="EXPIRED@example") == ["expired/Security"]

    @pytest.mark.parametrize(
        "params", [{"as_of": "2026-02-30"}, {"as_of": "soon"}, {"requirement": "99999"}]
    )
    def test_a_malformed_filter_lists_nothing_and_says_why(
        self, client, compliance_admin, history, params
    ):
        client.force_login(compliance_admin)
        response = client.get(REPORT_URL, params)
        assert response.status_code == 400
        assert list(response.context["object_list"]) == []
        assert "The report could not be filtered" in response.content.decode()
        results = client.get(f"{REPORT_URL}results/", params)
        assert results.status_code == 200  # the filter drawer's fragment shows the error
        assert "The report could not be filtered" in results.content.decode()
        export = client.get(REPORT_URL, {**params, "export": "csv"})
        assert export.status_code == 400
        assert export.content.decode().startswith("The report could not be exported")
