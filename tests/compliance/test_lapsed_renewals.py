"""Renewals in the report, its exports and the emails: an open or lapsed renewal shows
the previous certification's expiry (the lapse date) as its expiry, as the dashboard
does, and a lapsed one is worded "expired on", as its status says."""

import csv
import io
import re
from datetime import date

from django.contrib.auth.models import Group
from django.core import mail

import openpyxl
import pytest

from accounts.models import Profile
from compliance import selectors
from compliance.models import Assignment
from compliance.scheduling import Status
from compliance.services import notifications
from tests.catalog.factories import CoursePageFactory
from tests.compliance.factories import TrainingRequirementFactory
from tests.html import table_rows
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db

D = date.fromisoformat
REPORT_URL = "/admin/compliance/report/"
#: On this day Rita's renewal is open (certified until 20 December), Lars's has lapsed
#: (certified until 15 January) and Nina's first cycle is overdue.
AS_OF = "2026-12-10"


def assign(requirement, user, **fields) -> Assignment:
    fields = {k: D(v) if k.endswith("_on") and isinstance(v, str) else v for k, v in fields.items()}
    fields.setdefault("opens_on", fields["assigned_on"])
    return Assignment.objects.create(requirement=requirement, user=user, **fields)


def certified_then_renewal(requirement, user, *, completed: str, expires: str, opens: str):
    assign(
        requirement,
        user,
        assigned_on="2025-01-01",
        due_on="2025-01-31",
        completed_on=completed,
        expires_on=expires,
    )
    return assign(
        requirement,
        user,
        cycle=2,
        assigned_on=opens,
        due_on=expires,
        previous_expires_on=expires,
    )


@pytest.fixture
def people(catalog):
    requirement = TrainingRequirementFactory(
        name="Security", course=CoursePageFactory(title="Security basics")
    )
    rita = UserFactory(username="rita", first_name="Rita")
    lars = UserFactory(username="lars", first_name="Lars")
    nina = UserFactory(username="nina", first_name="Nina")
    certified_then_renewal(
        requirement, rita, completed="2025-12-20", expires="2026-12-20", opens="2026-11-20"
    )
    certified_then_renewal(
        requirement, lars, completed="2025-01-15", expires="2026-01-15", opens="2025-12-16"
    )
    assign(requirement, nina, assigned_on="2026-10-01", due_on="2026-10-31")
    return {"rita": rita, "lars": lars, "nina": nina}


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="cora")
    user.groups.add(Group.objects.get(name="Compliance admins"))
    client.force_login(user)
    return client


def expires_cells(html: str) -> dict[str, str]:
    """The listing's Expires cell of each person's row, by username: the last, or the
    one before the evidence pack's link for those who may take packs."""
    cells = {}
    for row, texts in table_rows(html):
        email = re.search(r"(\w+)@example\.com", row)
        if email and texts:
            cells[email.group(1)] = texts[-2] if texts[-1] == "PDF" else texts[-1]
    return cells


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


class TestReportAndExports:
    def test_the_listing_shows_the_previous_certifications_expiry(self, admin_client, people):
        response = admin_client.get(REPORT_URL, {"as_of": AS_OF})

        rows = {row.user.username: row for row in response.context["object_list"]}
        assert {name: (row.status, row.certification_expires_on) for name, row in rows.items()} == {
            "rita": (Status.COMPLIANT, D("2026-12-20")),
            "lars": (Status.EXPIRED, D("2026-01-15")),
            "nina": (Status.OVERDUE, None),
        }
        assert expires_cells(response.content.decode()) == {
            "rita": "20 Dec 2026",
            "lars": "15 Jan 2026",
            "nina": "",
        }

    def test_the_listing_sorts_by_that_expiry(self, admin_client, people):
        response = admin_client.get(
            REPORT_URL, {"as_of": AS_OF, "ordering": "-certification_expires_on"}
        )

        assert response.status_code == 200
        assert response.context["ordering"] == "-certification_expires_on"
        names = [row.user.username for row in response.context["object_list"]]
        assert names[-2:] == ["rita", "lars"] or names[:2] == ["rita", "lars"]

    def test_csv_and_excel_expires_columns(self, admin_client, people):
        params = {"as_of": AS_OF, "ordering": "user__username"}

        csv_text = streamed(admin_client.get(REPORT_URL, {**params, "export": "csv"})).decode()
        xlsx = streamed(admin_client.get(REPORT_URL, {**params, "export": "xlsx"}))

        table = list(csv.DictReader(io.StringIO(csv_text)))
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
        assert {(r["Username"], r["Status"], r["Expires"]) for r in table} == {
            ("rita", "Compliant", "2026-12-20"),
            ("lars", "Expired", "2026-01-15"),
            ("nina", "Overdue", ""),
        }
        rows = list(sheet.iter_rows(values_only=True))
        expires = {row[1]: row[10] for row in rows[1:]}
        assert expires == {
            "rita": date(2026, 12, 20),
            "lars": date(2026, 1, 15),
            "nina": None,
        }

    @pytest.mark.parametrize("as_of", ["2026-01-10", "2026-01-16", "2026-12-10", "2027-01-01"])
    def test_the_sql_and_the_model_agree_on_any_date(self, people, as_of):
        renewal = Assignment.objects.get(user=people["rita"], cycle=2)
        Assignment.objects.filter(pk=renewal.pk).update(
            completed_on=D("2026-12-15"), expires_on=D("2027-12-15")
        )
        day = D(as_of)

        for row in selectors.statuses(as_of=day):
            stored = Assignment.objects.get(pk=row.pk)
            assert row.certification_expires_on == stored.certification_expires(day), row


@pytest.fixture
def manager(people):
    manager = UserFactory(username="boss")
    for person in people.values():
        Profile.objects.create(user=person, manager=manager)
    return manager


class TestEmails:
    def test_a_lapsed_renewal_expired_on_the_lapse_date(self, people):
        notifications.run_reminders(as_of=D("2026-01-16"))

        (message,) = [m for m in mail.outbox if m.to == [people["lars"].email]]
        assert message.subject == "Expired: Security basics expired on 15 January 2026"
        assert "expired on Thursday 15 January 2026, 1 day ago" in message.body
        assert "overdue" not in message.body
        assert "expired on <strong>Thursday 15 January 2026</strong>" in message.alternatives[0][0]

    def test_a_first_cycle_is_still_overdue(self, people):
        notifications.run_reminders(as_of=D("2026-11-01"))

        (message,) = [m for m in mail.outbox if m.to == [people["nina"].email]]
        assert message.subject == "Overdue: Security basics was due on 31 October 2026"
        assert "is now 1 day overdue" in message.body

    def test_the_managers_digest_says_expired_for_a_lapsed_renewal(self, people, manager):
        notifications.queue_manager_digests(as_of=D(AS_OF))
        notifications.send_pending(as_of=D(AS_OF))

        digest = next(m for m in mail.outbox if m.to == ["boss@example.com"])
        assert "Security, expired on 15 Jan 2026" in digest.body
        assert "Security, due 31 Oct 2026" in digest.body
