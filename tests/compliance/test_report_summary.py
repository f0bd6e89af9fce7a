"""The compliance summary: figures per requirement on any date, recomputed from the
history, with its query budget."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from compliance import permissions, selectors
from compliance.models import Assignment
from tests.compliance.factories import TrainingRequirementFactory
from tests.compliance.report_history import JANUARY, JUNE, counts, summary_rows
from tests.compliance.screens import SUMMARY_URL
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db
D = date.fromisoformat


class TestSummary:
    def test_figures_per_requirement_on_a_date(self, client, compliance_admin, history):
        client.force_login(compliance_admin)
        response = client.get(SUMMARY_URL, {"as_of": JUNE})
        assert response.status_code == 200
        rows = summary_rows(response)
        assert counts(rows["Security"]) == {
            "assigned": 7,
            "compliant": 1,
            "due_soon": 1,
            "overdue": 1,
            "expired": 1,
            "exempt": 1,
            "not_started": 1,
            "in_progress": 1,
        }
        # Compliant or exempt, over assigned, rounded down: 2 of 7.
        assert rows["Security"].percent_compliant == 28
        assert counts(rows["Fire safety"]) == {"assigned": 1, "overdue": 1}
        assert rows["Fire safety"].percent_compliant == 0
        total = response.context["total"]
        assert total.assigned == 8
        assert total.overdue == 2
        content = response.content.decode()
        assert "15 June 2026" in content
        assert "28%" in content
        assert 'class="compliance-bar"' in content
        assert "Security: 1 compliant, 1 exempt, 1 in progress" in content
        assert f"requirement={history.security.pk}&amp;status=overdue&amp;as_of=2026-06-15" in (
            content
        )

    def test_an_earlier_date_is_recomputed_from_the_history(
        self, client, compliance_admin, history
    ):
        client.force_login(compliance_admin)
        response = client.get(SUMMARY_URL, {"as_of": JANUARY})
        rows = summary_rows(response)
        # The leaver was still assigned (and overdue); the expired person was still
        # covered by last year's completion; the compliant person had not done it yet.
        assert counts(rows["Security"]) == {
            "assigned": 3,
            "compliant": 1,
            "overdue": 1,
            "not_started": 1,
        }
        assert rows["Security"].percent_compliant == 33
        assert rows["Fire safety"].assigned == 0
        assert rows["Fire safety"].percent_compliant is None

    def test_defaults_to_today(self, client, compliance_admin, history):
        client.force_login(compliance_admin)
        response = client.get(SUMMARY_URL)
        assert response.status_code == 200
        assert response.context["as_of"] == selectors.local_today()

    @pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "15/06/2026x"])
    def test_a_malformed_date_is_a_clear_400(self, client, compliance_admin, history, value):
        client.force_login(compliance_admin)
        response = client.get(SUMMARY_URL, {"as_of": value})
        assert response.status_code == 400
        assert "Enter the date as YYYY-MM-DD" in response.content.decode()
        assert response.context["rows"] == []

    def test_counts_in_one_grouped_query(
        self, compliance_admin, history, django_assert_num_queries
    ):
        people = permissions.reportable_assignments(compliance_admin)
        # The active requirements (for "due soon"), then one grouped count.
        with django_assert_num_queries(2):
            found = selectors.status_counts(as_of=D(JUNE), queryset=people)
        assert set(found) == {history.security.pk, history.fire.pk}

    def test_summary_reads_the_requirements_once(
        self, compliance_admin, history, django_assert_num_queries
    ):
        # More requirements, with other "due soon" spans: still one read of the
        # requirements (with their courses) and one grouped count.
        for reminder_days in ("3", "21, 7", "30"):
            TrainingRequirementFactory(reminder_days=reminder_days)
        people = permissions.reportable_assignments(compliance_admin)
        with django_assert_num_queries(2):
            rows = selectors.summary(as_of=D(JUNE), assignments=people)
            assert all(row.requirement.course.title for row in rows)  # read with them
        assert len(rows) == 5
        figures = {row.requirement.name: row.figures for row in rows}
        assert counts(figures["Security"])["assigned"] == 7
        assert counts(figures["Fire safety"]) == {"assigned": 1, "overdue": 1}

    def test_query_count_does_not_grow_with_people(
        self, client, compliance_admin, history, django_assert_max_num_queries
    ):
        client.force_login(compliance_admin)
        with CaptureQueriesContext(connection) as few:
            client.get(SUMMARY_URL, {"as_of": JUNE})
        Assignment.objects.bulk_create(
            Assignment(
                requirement=history.fire,
                user=UserFactory(),
                assigned_on=D("2026-06-01"),
                opens_on=D("2026-06-01"),
                due_on=D("2026-07-01"),
            )
            for _ in range(20)
        )
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(SUMMARY_URL, {"as_of": JUNE})
        assert summary_rows(response)["Fire safety"].assigned == 21
