"""Admin decisions in the audit trail: a requirement created, edited (old and new rule)
and deactivated through its form, and every report export (who, which filters, how
many rows)."""

import pytest

import audit
from audit.models import AuditEntry
from compliance.models import TrainingRequirement
from tests.catalog.factories import CoursePageFactory
from tests.compliance.factories import requirement_form_data
from tests.compliance.screens import REPORT_URL, REQUIREMENTS_URL, SUMMARY_URL
from tests.learner.factories import UserFactory, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def compliance_admin(catalog, client):
    admin = member_of("Compliance admins", "cora")
    client.force_login(admin)
    return admin


def only(action: str) -> AuditEntry:
    (entry,) = AuditEntry.objects.filter(action=action)
    return entry


class TestRequirementEvents:
    def test_created_edited_and_deactivated_with_old_and_new_rule(self, client, compliance_admin):
        course = CoursePageFactory()
        person = UserFactory()
        data = requirement_form_data(
            name="Fire safety", course=str(course.pk), audience_users=[str(person.pk)]
        )
        assert client.post(f"{REQUIREMENTS_URL}new/", data).status_code == 302
        requirement = TrainingRequirement.objects.get(name="Fire safety")
        created = only("fledge.requirement.create")
        assert created.actor_id == compliance_admin.pk
        assert created.data["rule"]["due_days"] == 30
        assert created.data["rule"]["audience_users"] == [audit.pseudonym(person.pk)]

        data = requirement_form_data(requirement, due_days="45")
        assert client.post(f"{REQUIREMENTS_URL}edit/{requirement.pk}/", data).status_code == 302
        edited = only("fledge.requirement.edit")
        assert (edited.data["old"]["due_days"], edited.data["new"]["due_days"]) == (30, 45)

        data = requirement_form_data(requirement, due_days="45", active=False)
        assert client.post(f"{REQUIREMENTS_URL}edit/{requirement.pk}/", data).status_code == 302
        deactivated = only("fledge.requirement.deactivate")
        assert deactivated.data["old"]["active"] is True
        assert deactivated.data["new"]["active"] is False
        audit.verify_chain()

    def test_an_invalid_form_records_nothing(self, client, compliance_admin):
        data = requirement_form_data(name="", course=str(CoursePageFactory().pk))
        assert client.post(f"{REQUIREMENTS_URL}new/", data).status_code == 200
        assert not AuditEntry.objects.filter(action__startswith="fledge.requirement").exists()


class TestExportEvents:
    def test_a_report_export_records_who_the_filters_and_the_rows(self, client, compliance_admin):
        response = client.get(REPORT_URL, {"export": "csv", "status": "overdue", "q": "Smith"})
        assert response.status_code == 200
        b"".join(response.streaming_content)
        entry = only("fledge.report.export")
        assert entry.actor_id == compliance_admin.pk
        assert entry.data["report"] == "PersonReportView"
        assert entry.data["rows"] == 0
        assert entry.data["filters"]["status"] == ["overdue"]
        assert entry.data["filters"]["q"] == [audit.text_digest("Smith")]
        assert "Smith" not in entry.payload

    def test_the_summary_export_is_recorded(self, client, compliance_admin):
        assert client.get(SUMMARY_URL, {"export": "xlsx"}).status_code == 200
        assert only("fledge.report.export").data["format"] == "xlsx"

    def test_a_failed_export_is_not_recorded(self, client, compliance_admin):
        assert client.get(SUMMARY_URL, {"export": "pdf"}).status_code == 400
        assert not AuditEntry.objects.filter(action="fledge.report.export").exists()
