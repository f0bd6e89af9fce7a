"""The evidence pack holds the figures of a known history, as JSON and as a PDF read
back; it is downloaded from the person's row of the compliance report and written by
``manage.py evidence_pack``; only those the rule allows may take it."""

import json
from decimal import Decimal

from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

import pytest

import audit
from audit.models import AuditEntry
from records import evidence
from tests.certificates.factories import pdf_text
from tests.compliance.screens import REPORT_URL
from tests.learner.factories import UserFactory, member_of

from .history import known_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(catalog):
    return known_history()


class TestContents:
    def test_the_json_holds_every_figure_of_the_history(self, history):
        data = json.loads(evidence.as_json(evidence.build(history.person)))
        assert data["person"]["username"] == "ada"
        assert data["person"]["email"] == "ada@example.org"
        assert data["person"]["manager"]["name"] == "Mona Manager"
        assert data["person"]["groups"] == ["Warehouse"]
        cycles = {row["requirement"]: row for row in data["assignments"]}
        assert set(cycles) == {"Fire safety", "Ethics"}
        fire = cycles["Fire safety"]
        assert fire["due_on"] == history.fire_cycle.due_on.isoformat()
        assert fire["completed_on"] == history.fire_cycle.completed_on.isoformat()
        assert fire["status_today"] == "Compliant"
        assert [e["event"] for e in fire["history"]][:2] == ["assigned", "opens"]
        assert cycles["Ethics"]["exempt"] is True
        (exemption,) = data["exemptions"]
        assert exemption["reason"] == "On sabbatical until June"
        assert exemption["by"] == "Mona Manager"
        assert [r["kind"] for r in data["reminders"]] == ["Reminder before due"] * 1
        (enrolment,) = data["enrolments"]
        assert enrolment["status"] == "completed"
        assert enrolment["course_revision"] == history.course.course.live_revision_id
        lessons = {row["lesson"]: row["lesson_revision"] for row in data["lesson_completions"]}
        assert lessons == {
            lesson.title: lesson.live_revision_id for lesson in history.course.lessons
        }
        scores = [(a["number"], Decimal(a["score"]), a["passed"]) for a in data["quiz_attempts"]]
        assert scores == [(1, Decimal("0"), False), (2, Decimal("100"), True)]
        (certificate,) = data["certificates"]
        assert certificate["number"] == history.certificate.number
        assert certificate["verification_url"].endswith(
            f"/certificates/verify/{history.certificate.verification_code}/"
        )

    def test_the_audit_entries_are_hers_with_their_hashes_and_the_head(self, history):
        data = evidence.build(history.person).data
        entries = data["audit"]["entries"]
        mine = AuditEntry.objects.filter(subject=audit.pseudonym(history.person.pk))
        assert {e["sequence"] for e in entries} >= set(mine.values_list("sequence", flat=True))
        stored = {e.sequence: e.entry_hash for e in AuditEntry.objects.all()}
        assert all(stored[e["sequence"]] == e["entry_hash"] for e in entries)
        actions = {e["action"] for e in entries}
        assert {"fledge.quiz.submit", "fledge.course.complete", "fledge.assignment.exempt"} <= (
            actions
        )
        # Nothing about Bob.
        bob = audit.pseudonym(history.other.pk)
        assert all(e["subject"] != bob for e in entries)
        head = audit.chain_head()
        chain = data["audit"]["chain"]
        assert chain == {
            "verified": True,
            "head_sequence": head.sequence,
            "head_hash": head.entry_hash,
            "entries": head.count,
        }

    def test_one_requirement_narrows_every_section(self, history):
        data = evidence.build(history.person, requirement_id=history.ethics.pk).data
        assert data["scope"]["requirement"] == "Ethics"
        assert [row["requirement"] for row in data["assignments"]] == ["Ethics"]
        assert data["enrolments"] == [] and data["quiz_attempts"] == []
        assert data["certificates"] == [] and data["reminders"] == []
        assert {e["action"] for e in data["audit"]["entries"]} <= {
            "fledge.assignment.create",
            "fledge.assignment.exempt",
        }
        assert any(e["action"] == "fledge.assignment.exempt" for e in data["audit"]["entries"])

    @pytest.mark.skipif(
        connection.vendor != "sqlite", reason="PostgreSQL refuses the tampering itself"
    )
    def test_a_broken_chain_is_said_in_the_pack(self, history):
        entry = AuditEntry.objects.order_by("sequence")[2]
        AuditEntry.objects.filter(pk=entry.pk).update(payload='{"tampered":true}')
        chain = evidence.build(history.person).data["audit"]["chain"]
        assert chain["verified"] is False and chain["broken_at"] == entry.sequence
        pages, text = pdf_text(evidence.render_pdf(evidence.build(history.person)))
        assert f"did not verify when this pack was generated: entry #{entry.sequence}" in text

    def test_the_pdf_reads_back_with_the_figures(self, history):
        pages, text = pdf_text(evidence.render_pdf(evidence.build(history.person)))
        assert pages >= 1
        for expected in (
            "Training evidence: Ada Evidence",
            "ada@example.org",
            "Fire safety",
            "On sabbatical until June",
            history.certificate.number,
            "Passed",
            "Not passed",
            "The whole audit chain verified",
            audit.chain_head().entry_hash[:16],
        ):
            assert expected in text, expected


@pytest.fixture
def compliance_admin(catalog, client):
    admin = member_of("Compliance admins", "cora")
    client.force_login(admin)
    return admin


class TestDownload:
    def test_the_report_row_links_to_the_pack_of_that_person_and_requirement(
        self, client, compliance_admin, history
    ):
        page = client.get(REPORT_URL).content.decode()
        url = reverse("records:evidence_pdf", args=[history.person.pk])
        assert f"{url}?requirement={history.fire.pk}" in page
        response = client.get(url, {"requirement": history.fire.pk})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert f"evidence-ada-requirement-{history.fire.pk}.pdf" in response["Content-Disposition"]
        _, text = pdf_text(response.content)
        assert "Requirement: Fire safety" in text and "Ethics" not in text
        entry = AuditEntry.objects.filter(action="fledge.records.evidence").get()
        assert entry.actor_id == compliance_admin.pk
        assert entry.data["requirement"] == history.fire.pk and entry.data["format"] == "pdf"

    def test_json_download(self, client, compliance_admin, history):
        response = client.get(reverse("records:evidence_json", args=[history.person.pk]))
        assert response.status_code == 200
        assert json.loads(response.content)["person"]["username"] == "ada"

    def test_a_manager_sees_the_report_without_the_link_and_is_refused(self, client, history):
        manager = history.manager
        from django.contrib.auth.models import Permission

        manager.user_permissions.add(
            Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
        )
        client.force_login(manager)
        page = client.get(REPORT_URL)
        assert page.status_code == 200 and "Ada" in page.content.decode()
        assert "evidence.pdf" not in page.content.decode()
        url = reverse("records:evidence_pdf", args=[history.person.pk])
        refused = client.get(url)  # Wagtail's admin refusal: back to the dashboard
        assert refused.status_code == 302 and refused["Location"] == "/admin/"
        assert not AuditEntry.objects.filter(action="fledge.records.evidence").exists()

    @pytest.mark.parametrize("requirement", ["999999", "abc", "1" * 30])
    def test_an_unknown_requirement_or_person_is_404(
        self, client, compliance_admin, history, requirement
    ):
        url = reverse("records:evidence_pdf", args=[history.person.pk])
        assert client.get(url, {"requirement": requirement}).status_code == 404
        assert client.get(reverse("records:evidence_pdf", args=[987654])).status_code == 404


class TestCommand:
    def test_writes_both_files(self, history, tmp_path, capsys):
        call_command("evidence_pack", "ada", "--output", str(tmp_path))
        pdf = tmp_path / "evidence-ada.pdf"
        data = json.loads((tmp_path / "evidence-ada.json").read_text())
        assert data["person"]["username"] == "ada"
        _, text = pdf_text(pdf.read_bytes())
        assert "Ada Evidence" in text
        out = capsys.readouterr().out
        assert "chain intact" in out
        assert (
            AuditEntry.objects.filter(action="fledge.records.evidence", actor_id=None).count() == 2
        )

    def test_one_requirement(self, history, tmp_path):
        call_command(
            "evidence_pack", "ada", "--requirement", str(history.ethics.pk),
            "--format", "json", "--output", str(tmp_path),
        )  # fmt: skip
        data = json.loads(
            (tmp_path / f"evidence-ada-requirement-{history.ethics.pk}.json").read_text()
        )
        assert [row["requirement"] for row in data["assignments"]] == ["Ethics"]

    def test_unknown_person_or_requirement(self, history, tmp_path):
        with pytest.raises(CommandError, match="No user is called 'nobody'"):
            call_command("evidence_pack", "nobody", "--output", str(tmp_path))
        with pytest.raises(CommandError, match="No requirement has the id 999999"):
            call_command("evidence_pack", "ada", "--requirement", "999999")
        assert not list(tmp_path.iterdir())


def test_nobody_without_the_permission_gets_it(client, catalog):
    person = UserFactory()
    client.force_login(UserFactory())
    response = client.get(reverse("records:evidence_pdf", args=[person.pk]))
    assert response.status_code == 302 and not response.has_header("Content-Disposition")
    assert "login" in response["Location"] or response["Location"] == "/admin/"
