"""One completion, one expiry: the same last valid day on every page, export and email.

Completed on 1 December 2026 (in the afternoon, London time) for a yearly requirement
whose course issues a 12-month certificate: it counts, and the certificate is valid,
through 1 December 2027 to the end of that day, and both have lapsed from 2 December.
Every place that shows the expiry shows 1 December 2027.

Renewed early, on 10 November 2027 (inside the 30-day window), under a requirement that
counts renewals from the previous expiry: the renewal and its certificate count through
1 December 2028, not 10 November 2028, and every place shows 1 December 2028.
"""

import csv
import io
import re
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

import pytest

from certificates import services as certificate_services
from certificates.models import Certificate
from compliance import selectors
from compliance import services as compliance
from compliance.models import Assignment, TrainingRequirement
from compliance.scheduling import Status
from compliance.services import notifications
from learner import services as learning
from tests.catalog.factories import CoursePageFactory
from tests.certificates.factories import pdf_text
from tests.learner.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db

D = date.fromisoformat
LAST_DAY = D("2027-12-01")
User = get_user_model()
REPORT_URL = "/admin/compliance/report/"


def fire_safety(renewal_basis: str = "completion") -> TrainingRequirement:
    """A yearly "Fire safety" requirement of the Staff group, with Hana in it, assigned
    on 20 November 2026; its course issues a 12-month certificate."""
    course = CoursePageFactory(
        title="Fire safety", issues_certificate=True, certificate_validity_months=12
    )
    staff = Group.objects.create(name="Staff")
    learner = UserFactory(username="hana", first_name="Hana", last_name="Holder")
    staff.user_set.add(learner)
    requirement = TrainingRequirement.objects.create(
        name="Yearly fire safety",
        course=course,
        due_rule="relative",
        due_days=30,
        recurrence_months=12,
        reminder_days="14, 7, 1",
        renewal_basis=renewal_basis,
    )
    requirement.audience_groups.add(staff)
    compliance.assignments_sync(requirement=requirement, as_of=D("2026-11-20"))
    return requirement


def complete(requirement: TrainingRequirement, moment: str) -> Certificate:
    """Hana completes the requirement's course at ``moment``; her certificate."""
    enrollment = EnrollmentFactory(
        user=User.objects.get(username="hana"), course=requirement.course
    )
    learning.course_complete(enrollment=enrollment, as_of=datetime.fromisoformat(moment))
    return Certificate.objects.get(enrollment=enrollment)


@pytest.fixture
def completion(settings, catalog):
    """Hana, in the Staff group, completes "Fire safety" on 1 December 2026 at 15:00."""
    settings.TIME_ZONE = "Europe/London"
    return complete(fire_safety(), "2026-12-01T15:00:00+00:00")


@pytest.fixture
def compliance_admin():
    user = UserFactory(username="cora")
    user.groups.add(Group.objects.get(name="Compliance admins"))
    return user


def text_of(html: str) -> str:
    """Visible text, tags dropped and whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


class TestOneCompletionOneExpiry:
    def test_the_stored_dates_agree(self, completion):
        assignment = Assignment.objects.get(user=completion.user)

        assert assignment.expires_on == LAST_DAY
        assert completion.valid_until == LAST_DAY

    def test_valid_and_compliant_through_the_last_day_and_lapsed_the_next(self, completion):
        assignment = Assignment.objects.get(user=completion.user)
        end_of_last_day = datetime.fromisoformat("2027-12-01T23:59:59+00:00")  # GMT in December
        next_midnight = datetime.fromisoformat("2027-12-02T00:00:00+00:00")

        assert completion.status_on(end_of_last_day) == Certificate.Status.VALID
        assert completion.status_on(next_midnight) == Certificate.Status.EXPIRED
        statuses = {
            day: selectors.statuses(as_of=day).get(pk=assignment.pk).status
            for day in (LAST_DAY, D("2027-12-02"))
        }
        assert statuses == {LAST_DAY: Status.COMPLIANT, D("2027-12-02"): Status.EXPIRED}

    def test_the_pdf(self, completion):
        rendered = certificate_services.certificate_render(certificate=completion)

        _, text = pdf_text(rendered.pdf.read())

        assert "Valid until 1 December 2027" in text

    def test_the_verification_page(self, client, completion):
        response = client.get(reverse("certificates:verify", args=[completion.verification_code]))

        assert "Valid until 1 December 2027" in text_of(response.content.decode())

    def test_the_holders_certificate_list(self, client, completion):
        client.force_login(completion.user)

        response = client.get(reverse("certificates:list"))

        assert "1 Dec 2027" in text_of(response.content.decode())
        assert "2 Dec 2027" not in text_of(response.content.decode())

    def test_the_dashboard(self, client, completion):
        client.force_login(completion.user)

        html = client.get("/dashboard/").content.decode()

        # Required training (compliant, or expired once the day has passed) and the
        # certificate, with the same day.
        panel = re.search(r'<section class="required-training".*?</section>', html, re.S)
        assert '<time datetime="2027-12-01">1 Dec 2027</time>' in panel.group(0)
        assert "valid until 1 Dec 2027" in text_of(html)
        assert "2 Dec 2027" not in text_of(html)

    def test_the_report_and_its_csv_export(self, client, completion, compliance_admin):
        client.force_login(compliance_admin)

        listing = client.get(REPORT_URL, {"as_of": "2027-06-01"})
        export = client.get(REPORT_URL, {"as_of": "2027-06-01", "export": "csv"})

        (row,) = listing.context["object_list"]
        assert row.certification_expires_on == LAST_DAY
        assert "1 Dec 2027" in text_of(listing.content.decode())
        table = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
        assert [(r["Username"], r["Expires"]) for r in table] == [("hana", "2027-12-01")]

    def test_the_certificate_admin_listing_and_export(self, client, completion, admin_user):
        client.force_login(admin_user)

        listing = client.get("/admin/certificates/")
        detail = client.get(reverse("certificates_admin:detail", args=[completion.pk]))
        export = client.get("/admin/certificates/", {"export": "csv"})

        assert "1 Dec 2027" in text_of(listing.content.decode())
        assert "Valid until 1 December 2027, to the end of that day" in text_of(
            detail.content.decode()
        )
        table = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
        assert [r["Expires"] for r in table] == ["2027-12-01"]

    def test_the_confirmation_email(self, completion):
        notifications.send_pending(as_of=D("2026-12-01"))

        (message,) = mail.outbox
        assert message.subject == "Completed: Fire safety"
        assert "It counts until 1 December 2027" in message.body
        assert "It counts until 1 December 2027" in message.alternatives[0][0]

    def test_the_renewal_reminder_and_the_lapse_email(self, completion):
        notifications.send_pending(as_of=D("2026-12-01"))  # the confirmation
        requirement = TrainingRequirement.objects.get()
        compliance.assignments_sync(requirement=requirement, as_of=D("2027-11-01"))  # renewal opens

        notifications.run_reminders(as_of=D("2027-11-17"))  # 14 days before
        notifications.run_reminders(as_of=D("2027-12-02"))  # the first day it has lapsed

        reminder, lapsed = mail.outbox[1:]
        assert reminder.subject == "Reminder: Fire safety is due by 1 December 2027"
        assert "Wednesday 1 December 2027" in reminder.body
        assert lapsed.subject == "Expired: Fire safety expired on 1 December 2027"
        assert "expired on Wednesday 1 December 2027" in lapsed.body


RENEWED_LAST_DAY = D("2028-12-01")


@pytest.fixture
def early_renewal(settings, catalog):
    """Under "from the previous expiry", Hana completes on 1 December 2026 and renews
    early, on 10 November 2027 at 10:00 (the renewal opened on 1 November)."""
    settings.TIME_ZONE = "Europe/London"
    requirement = fire_safety(renewal_basis="previous_expiry")
    complete(requirement, "2026-12-01T15:00:00+00:00")
    compliance.assignments_sync(requirement=requirement, as_of=D("2027-11-01"))
    return complete(requirement, "2027-11-10T10:00:00+00:00")


class TestEarlyRenewalCountedFromThePreviousExpiry:
    def test_the_stored_dates_agree(self, early_renewal):
        first, renewal = Assignment.objects.filter(user=early_renewal.user).order_by("cycle")

        assert (first.expires_on, renewal.due_on, renewal.completed_on) == (
            LAST_DAY,
            LAST_DAY,
            D("2027-11-10"),
        )
        assert renewal.expires_on == RENEWED_LAST_DAY
        assert early_renewal.valid_until == RENEWED_LAST_DAY

    def test_valid_and_compliant_through_the_last_day_and_lapsed_the_next(self, early_renewal):
        renewal = Assignment.objects.get(user=early_renewal.user, cycle=2)
        next_midnight = datetime.fromisoformat("2028-12-02T00:00:00+00:00")

        assert early_renewal.status_on(next_midnight - timedelta(seconds=1)) == (
            Certificate.Status.VALID
        )
        assert early_renewal.status_on(next_midnight) == Certificate.Status.EXPIRED
        statuses = {
            day: selectors.statuses(as_of=day).get(pk=renewal.pk).status
            for day in (RENEWED_LAST_DAY, D("2028-12-02"))
        }
        assert statuses == {RENEWED_LAST_DAY: Status.COMPLIANT, D("2028-12-02"): Status.EXPIRED}

    def test_the_pdf_and_the_verification_page(self, client, early_renewal):
        rendered = certificate_services.certificate_render(certificate=early_renewal)
        _, text = pdf_text(rendered.pdf.read())
        page = client.get(reverse("certificates:verify", args=[early_renewal.verification_code]))

        assert "Valid until 1 December 2028" in text
        assert "Valid until 1 December 2028" in text_of(page.content.decode())

    def test_the_dashboard(self, client, early_renewal, monkeypatch):
        # The panel shows the cycle that is current on the day: 1 June 2028, after the
        # renewal (the real today may still be in the first cycle).
        monkeypatch.setattr(selectors, "local_today", lambda *, as_of=None: D("2028-06-01"))
        client.force_login(early_renewal.user)

        html = client.get("/dashboard/").content.decode()

        panel = re.search(r'<section class="required-training".*?</section>', html, re.S)
        assert '<time datetime="2028-12-01">1 Dec 2028</time>' in panel.group(0)
        assert "valid until 1 Dec 2028" in text_of(html)
        assert "10 Nov 2028" not in text_of(html)

    def test_the_report_and_its_csv_export(self, client, early_renewal, compliance_admin):
        client.force_login(compliance_admin)

        listing = client.get(REPORT_URL, {"as_of": "2028-06-01"})
        export = client.get(REPORT_URL, {"as_of": "2028-06-01", "export": "csv"})

        (row,) = listing.context["object_list"]
        assert row.certification_expires_on == RENEWED_LAST_DAY
        assert "1 Dec 2028" in text_of(listing.content.decode())
        table = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
        assert [(r["Username"], r["Expires"]) for r in table] == [("hana", "2028-12-01")]

    def test_the_certificate_admin_export(self, client, early_renewal, admin_user):
        client.force_login(admin_user)

        export = client.get("/admin/certificates/", {"export": "csv"})

        table = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode())))
        assert sorted(r["Expires"] for r in table) == ["2027-12-01", "2028-12-01"]

    def test_the_confirmation_email(self, early_renewal):
        notifications.send_pending(as_of=D("2027-11-10"))

        renewed = [m for m in mail.outbox if "It counts until 1 December 2028" in m.body]
        assert [m.subject for m in renewed] == ["Completed: Fire safety"]
        assert "It counts until 1 December 2028" in renewed[0].alternatives[0][0]
