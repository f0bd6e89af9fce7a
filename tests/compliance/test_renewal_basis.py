"""A requirement's renewal basis: the field and its rules, the admin form, the rule
preview (which basis applies, with example dates), and the stored expiry of renewals
completed early, on time and late."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from compliance import services
from compliance.models import Assignment, TrainingRequirement
from compliance.scheduling import add_months
from learner import services as learning
from tests.compliance.factories import requirement, requirement_form_data, synced_requirement, today
from tests.compliance.screens import REQUIREMENTS_URL
from tests.learner.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db
D = date.fromisoformat
PREVIOUS_EXPIRY = TrainingRequirement.RenewalBasis.PREVIOUS_EXPIRY


class TestRenewalBasisField:
    def test_counts_from_completion_unless_chosen(self, catalog):
        created = requirement()

        assert created.renewal_basis == "completion"
        assert created.rule.renewal_basis == "completion"
        assert created.describe_rule() == "within 30 days of assignment, then every 12 months"

    def test_previous_expiry_is_in_the_rule_and_its_description(self, catalog):
        created = requirement(renewal_basis=PREVIOUS_EXPIRY)

        created.full_clean()
        assert created.rule.renewal_basis == "previous_expiry"
        assert created.describe_rule() == (
            "within 30 days of assignment, then every 12 months from the previous expiry "
            "when renewed early"
        )

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"due_rule": "fixed", "due_date": D("2026-10-31"), "due_days": None}, "calendar"),
            ({"recurrence_months": None}, "One-off training has no renewals"),
        ],
        ids=["fixed date", "one-off"],
    )
    def test_previous_expiry_needs_a_recurring_relative_rule(self, catalog, fields, message):
        created = requirement(renewal_basis=PREVIOUS_EXPIRY, **fields)

        with pytest.raises(ValidationError) as error:
            created.full_clean()

        assert message in " ".join(error.value.message_dict["renewal_basis"])


class TestRenewalBasisInTheAdmin:
    def test_the_form_offers_both_options(self, client, compliance_admin):
        client.force_login(compliance_admin)

        html = client.get(f"{REQUIREMENTS_URL}new/").content.decode()

        assert 'type="radio" name="renewal_basis" value="completion"' in html
        assert 'value="previous_expiry"' in html
        assert "From the previous expiry, when renewed by then" in html

    def test_saving_previous_expiry(self, client, compliance_admin, security):
        client.force_login(compliance_admin)
        data = requirement_form_data(security, renewal_basis="previous_expiry")

        response = client.post(f"{REQUIREMENTS_URL}edit/{security.pk}/", data)

        assert response.status_code == 302
        security.refresh_from_db()
        assert security.renewal_basis == "previous_expiry"

    def test_previous_expiry_with_a_fixed_date_is_refused(self, client, compliance_admin, security):
        client.force_login(compliance_admin)
        data = requirement_form_data(
            security,
            renewal_basis="previous_expiry",
            due_rule="fixed",
            due_date="2030-10-31",
            due_days="",
        )

        response = client.post(f"{REQUIREMENTS_URL}edit/{security.pk}/", data)

        assert response.status_code == 200
        assert "always renews on its calendar date" in response.content.decode()
        security.refresh_from_db()
        assert security.renewal_basis == "completion"


def day(value: date) -> str:
    return f"{value:%-d %B %Y}"


class TestRenewalPreview:
    def preview(self, client, security, **changes) -> dict:
        response = client.post(
            reverse("compliance_requirements:preview_existing", args=[security.pk]),
            requirement_form_data(security, **changes),
        )
        assert response.status_code == 200
        return response.json()["renewal"]

    @pytest.mark.parametrize("basis", ["completion", "previous_expiry"])
    def test_says_which_basis_applies_with_the_dates(
        self, client, compliance_admin, security, basis
    ):
        client.force_login(compliance_admin)
        first = today() + timedelta(days=30)
        renewal_due = add_months(first, 12)
        opens = renewal_due - timedelta(days=30)
        late = renewal_due + timedelta(days=7)

        renewal = self.preview(client, security, renewal_basis=basis)

        assert renewal["basis"] == basis
        lead = {
            "completion": "Renewals count from the completion date",
            "previous_expiry": "Renewals count from the previous expiry",
        }[basis]
        assert renewal["text"].startswith(lead)
        assert f"first due {day(first)}" in renewal["text"]
        assert f"opens {day(opens)} and is due {day(renewal_due)}" in renewal["text"]
        early_next = add_months(renewal_due if basis == "previous_expiry" else opens, 12)
        assert [(s["completed_on"], s["next_due"]) for s in renewal["steps"]] == [
            (opens.isoformat(), early_next.isoformat()),
            (renewal_due.isoformat(), add_months(renewal_due, 12).isoformat()),
            (late.isoformat(), add_months(late, 12).isoformat()),
        ]
        assert renewal["steps"][2]["text"] == (
            f"Renewed 7 days late, on {day(late)}: next due {day(add_months(late, 12))}."
        )

    def test_a_fixed_date_renews_on_the_calendar(self, client, compliance_admin, security):
        client.force_login(compliance_admin)

        renewal = self.preview(
            client, security, due_rule="fixed", due_date="2030-10-31", due_days=""
        )

        assert renewal["text"].startswith("Renewals fall on the fixed date every 12 months")
        assert "first due 31 October 2030" in renewal["text"]
        assert "is due 31 October 2031" in renewal["text"]
        # Early, on the day and late renewals of that cycle: all next due on the date.
        assert [s["next_due"] for s in renewal["steps"]] == ["2032-10-31"] * 3

    def test_one_off_training_has_no_renewals(self, client, compliance_admin, security):
        client.force_login(compliance_admin)

        renewal = self.preview(client, security, recurrence_months="")

        assert renewal["text"].startswith("One-off training")
        assert renewal["steps"] == []


def complete(user, course, on: str) -> None:
    enrollment = EnrollmentFactory(user=user, course=course)
    moment = datetime.fromisoformat(f"{on}T12:00").replace(tzinfo=ZoneInfo("UTC"))
    learning.course_complete(enrollment=enrollment, as_of=moment)


class TestStoredExpiryOfRenewals:
    """Assigned 15 January 2026, first done 10 February 2026: the renewal is due (and
    the first certification expires) on 10 February 2027 and opens on 11 January."""

    @pytest.fixture
    def renewing(self, staff):
        def setup(basis: str):
            learner = UserFactory()
            required = synced_requirement(
                staff, learner, as_of=D("2026-01-15"), renewal_basis=basis
            )
            complete(learner, required.course, "2026-02-10")
            services.assignments_sync(requirement=required, as_of=D("2027-01-11"))
            return learner, required

        return setup

    @pytest.mark.parametrize(
        ("basis", "renewed", "expires"),
        [
            ("completion", "2027-01-20", "2028-01-20"),
            ("previous_expiry", "2027-01-20", "2028-02-10"),
            ("completion", "2027-02-10", "2028-02-10"),
            ("previous_expiry", "2027-02-10", "2028-02-10"),
            ("completion", "2027-03-01", "2028-03-01"),
            ("previous_expiry", "2027-03-01", "2028-03-01"),
        ],
        ids=["early", "early-prev", "on-due", "on-due-prev", "late", "late-prev"],
    )
    def test_the_renewal_expires(self, renewing, basis, renewed, expires):
        learner, required = renewing(basis)

        complete(learner, required.course, renewed)

        renewal = Assignment.objects.get(user=learner, cycle=2)
        assert (renewal.previous_expires_on, renewal.completed_on, renewal.expires_on) == (
            D("2027-02-10"),
            D(renewed),
            D(expires),
        )
        assert Assignment.objects.get(user=learner, cycle=1).expires_on == D("2027-02-10")
