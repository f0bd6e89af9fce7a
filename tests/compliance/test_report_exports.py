"""The report's CSV and Excel exports: headings, the filtered rows, safe cells, and
large exports streamed in chunks within a query budget."""

import io
from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

import openpyxl
import pytest

from compliance.models import Assignment, TrainingRequirement
from compliance.viewsets import PersonReportView
from tests.compliance.factories import TrainingRequirementFactory
from tests.compliance.report_history import JANUARY, JUNE
from tests.compliance.screens import REPORT_URL
from tests.learner.factories import UserFactory
from tests.responses import csv_rows, streamed, xlsx_rows

pytestmark = pytest.mark.django_db
D = date.fromisoformat
EXPORT_HEADINGS = [
    "Person",
    "Username",
    "Email",
    "Requirement",
    "Course",
    "Cycle",
    "Status",
    "Assigned",
    "Due",
    "Completed",
    "Expires",
    "Request to join",
]


class TestExports:
    def test_csv_has_the_headings_and_the_filtered_rows(self, client, compliance_admin, history):
        client.force_login(compliance_admin)
        response = client.get(
            REPORT_URL,
            {"as_of": JUNE, "requirement": history.security.pk, "export": "csv"},
        )
        assert response.status_code == 200
        assert response.streaming
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "compliance-report.csv" in response["Content-Disposition"]
        rows = csv_rows(response)
        assert rows[0] == EXPORT_HEADINGS
        by_username = {row[1]: row for row in rows[1:]}
        assert len(rows) == 8
        assert by_username["expired"] == [
            "Expired Person",
            "expired",
            "expired@example.com",
            "Security",
            "Security basics",
            "2",
            "Expired",
            "2025-12-16",
            "2026-01-15",
            "",
            "2026-01-15",  # the lapsed certification's expiry, as the dashboard shows it
            "",  # a request to join is shown only as of today
        ]
        assert by_username["compliant"][6:] == [
            "Compliant",
            "2026-01-01",
            "2026-01-31",
            "2026-01-20",
            "2027-01-20",
            "",
        ]
        assert by_username["exempt"][6] == "Exempt"

    def test_csv_on_an_earlier_date(self, client, compliance_admin, history):
        client.force_login(compliance_admin)
        rows = csv_rows(client.get(REPORT_URL, {"as_of": JANUARY, "export": "csv"}))
        assert sorted((row[1], row[6]) for row in rows[1:]) == [
            ("compliant", "Not started"),
            ("expired", "Compliant"),
            ("leaver", "Overdue"),
        ]

    def test_csv_cells_never_start_a_formula(self, client, compliance_admin, history):
        person = history.people["overdue"]
        person.first_name, person.last_name = "=HYPERLINK(1)", ""
        person.save()
        client.force_login(compliance_admin)
        rows = csv_rows(client.get(REPORT_URL, {"as_of": JUNE, "export": "csv", "q": "overdue"}))
        assert {row[0] for row in rows[1:]} == {"'=HYPERLINK(1)"}

    def test_xlsx_opens_with_dates_as_dates(self, client, compliance_admin, history):
        client.force_login(compliance_admin)
        response = client.get(
            REPORT_URL, {"as_of": JUNE, "status": ["compliant", "overdue"], "export": "xlsx"}
        )
        assert response.status_code == 200
        assert response.streaming
        assert "compliance-report.xlsx" in response["Content-Disposition"]
        rows = xlsx_rows(response)
        assert list(rows[0]) == EXPORT_HEADINGS
        assert sorted((row[1], row[3], row[6]) for row in rows[1:]) == [
            ("compliant", "Security", "Compliant"),
            ("overdue", "Fire safety", "Overdue"),
            ("overdue", "Security", "Overdue"),
        ]
        compliant = next(row for row in rows[1:] if row[1] == "compliant")
        assert compliant[5] == 1
        assert compliant[7:11] == (
            D("2026-01-01"),
            D("2026-01-31"),
            D("2026-01-20"),
            D("2027-01-20"),
        )


def bulk_assign(requirement: TrainingRequirement, count: int, start: int = 0) -> None:
    """``count`` people assigned on 1 June 2026, due 1 July, straight into the table."""
    users = UserFactory._meta.model.objects.bulk_create(
        UserFactory.build(username=f"bulk{start + n:05d}", password="!") for n in range(count)
    )
    Assignment.objects.bulk_create(
        Assignment(
            requirement=requirement,
            user=user,
            assigned_on=D("2026-06-01"),
            opens_on=D("2026-06-01"),
            due_on=D("2026-07-01"),
        )
        for user in users
    )


class TestLargeExports:
    def test_a_3000_row_csv_streams_every_row(self, client, compliance_admin, catalog):
        requirement = TrainingRequirementFactory(name="Bulk")
        bulk_assign(requirement, 3000)
        client.force_login(compliance_admin)
        response = client.get(REPORT_URL, {"as_of": JUNE, "export": "csv"})
        assert response.streaming
        first_chunk = next(iter(response.streaming_content))
        assert first_chunk.decode().startswith("Person,Username,Email")
        rows = csv_rows(response)  # the rest
        assert len(rows) == 3000
        assert {row[6] for row in rows} == {"Not started"}
        assert {row[1] for row in rows} == {f"bulk{n:05d}" for n in range(3000)}

    def test_the_export_reads_the_rows_in_chunks(
        self, client, compliance_admin, catalog, monkeypatch
    ):
        requirement = TrainingRequirementFactory(name="Bulk")
        bulk_assign(requirement, 30)
        chunks = []
        real_iterator = Assignment.objects.none().__class__.iterator

        def spy(queryset, chunk_size=None):
            chunks.append(chunk_size)
            return real_iterator(queryset, chunk_size=chunk_size)

        monkeypatch.setattr(Assignment.objects.none().__class__, "iterator", spy)
        client.force_login(compliance_admin)
        for export in ("csv", "xlsx"):
            streamed(client.get(REPORT_URL, {"as_of": JUNE, "export": export}))
        assert chunks == [PersonReportView.export_chunk_size] * 2

    @pytest.mark.parametrize("export", ["csv", "xlsx"])
    def test_query_count_does_not_grow_from_300_to_3000_rows(
        self, client, compliance_admin, catalog, export, django_assert_max_num_queries
    ):
        requirement = TrainingRequirementFactory(name="Bulk")
        bulk_assign(requirement, 300)
        client.force_login(compliance_admin)
        with CaptureQueriesContext(connection) as few:
            body = streamed(client.get(REPORT_URL, {"as_of": JUNE, "export": export}))
        assert body
        bulk_assign(requirement, 2700, start=300)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(REPORT_URL, {"as_of": JUNE, "export": export})
            body = streamed(response)
        if export == "csv":
            assert body.count(b"\r\n") == 3001
        else:
            workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
            assert sum(1 for _ in workbook.active.iter_rows(values_only=True)) == 3001

    def test_listing_query_count_does_not_grow_with_rows(
        self, client, compliance_admin, catalog, django_assert_max_num_queries
    ):
        requirement = TrainingRequirementFactory(name="Bulk")
        bulk_assign(requirement, 5)
        client.force_login(compliance_admin)
        with CaptureQueriesContext(connection) as few:
            assert client.get(REPORT_URL, {"as_of": JUNE}).status_code == 200
        bulk_assign(requirement, 60, start=5)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(REPORT_URL, {"as_of": JUNE})
        assert len(response.context["object_list"]) == 50  # one page
