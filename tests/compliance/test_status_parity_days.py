"""The dashboard and the reports agree on everyone's status on every day around every
date that matters.

The learner's dashboard works statuses out in Python (``selectors.learner_requirements``
through ``dashboard.required_training_items``); the report listing and the summary in
SQL (``selectors.statuses``, ``reports.summary``). An off-by-one in either shows only on
the day of a boundary, so this compares them on *every* day from several days before
to several days after each due date, each reminder day, and each assignment, opening,
completion, expiry, exemption, closing, start and end of enrolment, for requirements
whose "due soon" spans differ (14 days, 3 days, the due day only).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from compliance import selectors
from compliance.dashboard import required_training_items
from compliance.models import Assignment, TrainingRequirement
from compliance.scheduling import Status
from compliance.selectors import reports
from learner.models import Enrollment
from tests.compliance.factories import AssignmentFactory, TrainingRequirementFactory
from tests.learner.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db
D = date.fromisoformat
LONDON = ZoneInfo("Europe/London")
#: Everyone is first assigned on this day; British summer time starts on 29 March,
#: in the middle of the histories, so local and UTC dates differ for part of them.
BASE = D("2026-03-02")
#: Days compared either side of each date that matters.
AROUND = 5
#: (reminder days, days the due date is moved from BASE + 30): "due soon" spans differ.
REQUIREMENTS = [("14, 7, 1", 0), ("3", 3), ("0", 6)]


def local(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


@dataclass
class Histories:
    users: list = field(default_factory=list)
    requirements: list[TrainingRequirement] = field(default_factory=list)
    #: The dates the statuses may turn on.
    key_dates: set[date] = field(default_factory=set)

    def note(self, *days: date | None) -> None:
        self.key_dates.update(day for day in days if day is not None)

    def days_to_compare(self) -> list[date]:
        return sorted(
            {
                day + timedelta(days=offset)
                for day in self.key_dates
                for offset in range(-AROUND, AROUND + 1)
            }
        )


def cycle(histories: Histories, **fields) -> Assignment:
    row = AssignmentFactory(**fields)
    histories.note(
        row.assigned_on,
        row.opens_on,
        row.due_on,
        row.completed_on,
        row.expires_on,
        row.previous_expires_on,
        row.exempted_on,
        row.closed_on,
    )
    histories.note(*(row.due_on - timedelta(days=d) for d in row.requirement.rule.reminder_days))
    return row


def build_histories() -> Histories:
    """One person per kind of history, on each requirement (each with its own course)."""
    h = Histories()
    names = ["fresh", "starter", "renewing", "late", "exempt", "leaver", "one_off"]
    fresh, starter, renewing, late, exempt, leaver, one_off = (
        UserFactory(username=f"parity-{name}") for name in names
    )
    h.users = [fresh, starter, renewing, late, exempt, leaver, one_off]
    for reminder_days, shift in REQUIREMENTS:
        req = TrainingRequirementFactory(reminder_days=reminder_days)
        h.requirements.append(req)
        due = BASE + timedelta(days=30 + shift)
        first = {"requirement": req, "assigned_on": BASE, "opens_on": BASE, "due_on": due}
        cycle(h, user=fresh, **first)

        # Started in summer time just after midnight (still the day before in UTC),
        # and left two days before the due date.
        cycle(h, user=starter, **first)
        started, left = local(D("2026-03-30"), 0, 30), local(due - timedelta(days=2), 0, 30)
        EnrollmentFactory(
            user=starter,
            course=req.course,
            status=Enrollment.Status.WITHDRAWN,
            requested_at=started,
            activated_at=started,
            ended_at=left,
        )
        h.note(started.date(), left.date())

        # Completed last year; the renewal opened (and was assigned two days late) and
        # is due when that completion lapses.
        expires = due + timedelta(days=10)
        last_year = BASE - timedelta(days=330)
        cycle(
            h,
            user=renewing,
            requirement=req,
            assigned_on=last_year,
            opens_on=last_year,
            due_on=last_year + timedelta(days=30),
            completed_at=local(last_year + timedelta(days=20), 12, 0),
            completed_on=last_year + timedelta(days=20),
            expires_on=expires,
        )
        cycle(
            h,
            user=renewing,
            requirement=req,
            cycle=2,
            assigned_on=expires - timedelta(days=28),
            opens_on=expires - timedelta(days=30),
            due_on=expires,
            previous_expires_on=expires,
        )

        # Completed four days late; that completion lapses 16 days later, no renewal.
        done = due + timedelta(days=4)
        cycle(
            h,
            user=late,
            **first,
            completed_at=local(done, 9, 0),
            completed_on=done,
            expires_on=done + timedelta(days=16),
        )
        # Exempted two days before the due date.
        cycle(
            h,
            user=exempt,
            **first,
            exempt=True,
            exempted_on=due - timedelta(days=2),
            exemption_reason="Covered elsewhere",
        )
        # Left the audience the day before the due date.
        cycle(h, user=leaver, **first, closed_on=due - timedelta(days=1))
        # Completed training that never expires (as for one-off training).
        cycle(
            h,
            user=one_off,
            **first,
            completed_at=local(BASE + timedelta(days=9), 12, 0),
            completed_on=BASE + timedelta(days=9),
        )
    # An inactive requirement is on nobody's dashboard and in no report.
    inactive = TrainingRequirementFactory(active=False)
    cycle(h, user=fresh, requirement=inactive, assigned_on=BASE, opens_on=BASE, due_on=BASE)
    return h


@pytest.fixture
def histories() -> Histories:
    return build_histories()


def dashboard_statuses(users, as_of: date) -> set[tuple[int, int, str]]:
    """(person, requirement, status) as each person's dashboard shows them."""
    return {
        (user.pk, item.requirement.pk, item.status.value)
        for user in users
        for item in required_training_items(user, as_of)
    }


def report_statuses(as_of: date) -> set[tuple[int, int, str]]:
    """(person, requirement, status) as the report listing shows them."""
    return set(selectors.statuses(as_of=as_of).values_list("user_id", "requirement_id", "status"))


def summary_counts(as_of: date) -> dict[tuple[int, str], int]:
    """(requirement, status) → people, as the report summary shows them."""
    return {
        (line.requirement.pk, status.value): count
        for line in reports.summary(as_of=as_of, assignments=Assignment.objects.all())
        for status, count in line.figures.counts.items()
        if count
    }


class TestStatusParityOnEveryDay:
    def test_the_histories_cover_every_status(self, histories):
        seen = {
            status for day in histories.days_to_compare() for *_, status in report_statuses(day)
        }
        assert seen == {status.value for status in Status}

    def test_dashboard_and_report_listing_agree_on_every_day(self, histories):
        days = histories.days_to_compare()
        assert len(days) > 60  # every day around each date, not a sample
        for as_of in days:
            dashboard = dashboard_statuses(histories.users, as_of)
            report = report_statuses(as_of)
            assert dashboard == report, (as_of, dashboard ^ report)

    def test_dashboard_and_report_summary_agree_on_every_day(self, histories):
        for as_of in histories.days_to_compare():
            dashboard = Counter(
                (requirement, status)
                for _, requirement, status in dashboard_statuses(histories.users, as_of)
            )
            assert dict(dashboard) == summary_counts(as_of), as_of

    def test_one_days_comparison_costs_a_fixed_number_of_queries(self, histories):
        with CaptureQueriesContext(connection) as queries:
            report_statuses(BASE)
            summary_counts(BASE)
            dashboard_statuses(histories.users, BASE)
        # The listing two queries (the requirements, then the rows), the summary three
        # (the same two and its requirements), each dashboard two, and the course links
        # two, once (then cached): however many days are compared.
        assert len(queries) <= 2 + 3 + 2 * len(histories.users) + 2


class TestDueSoonBoundary:
    """An assignment due exactly the due-soon number of days ahead is due soon."""

    @pytest.mark.parametrize(("index", "due_soon_days"), [(0, 14), (1, 3), (2, 0)])
    def test_due_soon_starts_exactly_that_many_days_ahead(self, histories, index, due_soon_days):
        requirement = histories.requirements[index]
        fresh = histories.users[0]
        row = Assignment.objects.get(user=fresh, requirement=requirement)
        first_day = row.due_on - timedelta(days=due_soon_days)
        expected = {
            first_day - timedelta(days=1): Status.NOT_STARTED,
            first_day: Status.DUE_SOON,
            row.due_on: Status.DUE_SOON,
            row.due_on + timedelta(days=1): Status.OVERDUE,
        }
        for as_of, status in expected.items():
            mine = (fresh.pk, requirement.pk, status.value)
            assert mine in report_statuses(as_of), (as_of, status)
            assert mine in dashboard_statuses([fresh], as_of), (as_of, status)
            assert summary_counts(as_of).get((requirement.pk, status.value), 0) >= 1, as_of
