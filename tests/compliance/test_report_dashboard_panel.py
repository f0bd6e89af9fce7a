"""The compliance panel on the admin dashboard: today's overall figures, or a
manager's people's."""

from datetime import timedelta

from django.urls import reverse

import pytest

from compliance import selectors
from tests.compliance.factories import TrainingRequirementFactory, assign, managed_by
from tests.learner.factories import UserFactory, member_of

pytestmark = pytest.mark.django_db


class TestDashboardPanel:
    def test_compliance_admin_sees_todays_overall_figures(self, client, compliance_admin, catalog):
        today = selectors.local_today()
        requirement = TrainingRequirementFactory(name="Now")
        for offset, done in ((-40, True), (-40, False), (-5, False)):
            assign(
                requirement,
                UserFactory(),
                assigned_on=today + timedelta(days=offset),
                due_on=today + timedelta(days=offset + 30),
                completed_on=today - timedelta(days=1) if done else None,
            )
        client.force_login(compliance_admin)
        response = client.get(reverse("wagtailadmin_home"))
        content = response.content.decode()
        assert "Required training" in content
        panel = next(p for p in response.context["panels"] if p.name == "compliance_summary")
        figures = panel.get_context_data({"request": response.wsgi_request})["figures"]
        assert (figures.assigned, figures.overdue, figures.expired) == (3, 1, 0)
        assert figures.percent_compliant == 33
        assert "33%" in content

    def test_a_manager_sees_only_their_people(self, client, catalog, history):
        manager = member_of("Instructors", "mona")
        managed_by(manager, history.people["overdue"])
        client.force_login(manager)
        response = client.get(reverse("wagtailadmin_home"))
        panel = next(p for p in response.context["panels"] if p.name == "compliance_summary")
        context = panel.get_context_data({"request": response.wsgi_request})
        assert context["managers_view"] is True
        assert "for the people you manage" in response.content.decode()
