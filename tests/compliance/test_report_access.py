"""Who sees the compliance reports, and whose rows: compliance admins and superusers
everyone's, a manager only their people's, anyone else nothing."""

from django.urls import reverse

import pytest

from tests.compliance.factories import managed_by
from tests.compliance.report_history import JUNE, counts, summary_rows
from tests.compliance.screens import REPORT_URL, SUMMARY_URL
from tests.learner.factories import UserFactory, member_of
from tests.responses import csv_rows

pytestmark = pytest.mark.django_db


class TestWhoSeesWhat:
    @pytest.mark.parametrize("url", [SUMMARY_URL, REPORT_URL, f"{REPORT_URL}?export=csv"])
    def test_a_learner_is_sent_to_the_login(self, client, history, url):
        client.force_login(UserFactory(username="lena"))
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")  # the site's sign-in

    @pytest.mark.parametrize(
        "url", [SUMMARY_URL, REPORT_URL, f"{REPORT_URL}results/", f"{REPORT_URL}?export=xlsx"]
    )
    def test_an_instructor_is_turned_away(self, client, catalog, history, url):
        client.force_login(member_of("Instructors", "ines"))
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "/admin/compliance/" not in home
        assert "Required training" not in home

    def test_compliance_admin_and_superuser_see_everyone(self, client, compliance_admin, history):
        for user in (compliance_admin, UserFactory(username="root", is_superuser=True)):
            client.force_login(user)
            response = client.get(REPORT_URL, {"as_of": JUNE, "requirement": history.security.pk})
            assert response.status_code == 200
            assert response.context["items_count"] == 7

    def test_a_manager_sees_only_their_people(self, client, catalog, history):
        people = history.people
        manager = member_of("Instructors", "mona")  # admin access, no compliance rights
        managed_by(manager, people["compliant"], people["overdue"])
        managed_by(UserFactory(username="other-manager"), people["expired"])
        client.force_login(manager)

        summary = client.get(SUMMARY_URL, {"as_of": JUNE})
        assert summary.status_code == 200
        rows = summary_rows(summary)
        assert counts(rows["Security"]) == {"assigned": 2, "compliant": 1, "overdue": 1}
        assert counts(rows["Fire safety"]) == {"assigned": 1, "overdue": 1}
        assert "Showing the people you manage" in summary.content.decode()

        listing = client.get(REPORT_URL, {"as_of": JUNE})
        assert {row.user.username for row in listing.context["object_list"]} == {
            "compliant",
            "overdue",
        }
        exported = csv_rows(client.get(REPORT_URL, {"as_of": JUNE, "export": "csv"}))
        assert sorted(row[1] for row in exported[1:]) == ["compliant", "overdue", "overdue"]

    def test_a_manager_without_admin_access_cannot_reach_the_admin(self, client, history):
        manager = UserFactory(username="mo")
        managed_by(manager, history.people["overdue"])
        client.force_login(manager)
        response = client.get(SUMMARY_URL)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")  # the site's sign-in

    def test_reports_menu_for_managers_hides_the_admin_items(self, client, catalog, history):
        manager = member_of("Instructors", "mona")
        managed_by(manager, history.people["overdue"])
        client.force_login(manager)
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert SUMMARY_URL in home
        assert REPORT_URL in home
        assert "/admin/compliance/requirements/" not in home
        assert "/admin/compliance/assignments/" not in home
