"""The exact edge of crediting an earlier completion.

A completion made before someone is assigned counts for their first cycle when it is
*within* one recurrence period before the assignment
(``scheduling.credits_prior_completion``: ``completed_on > assigned_on - recurrence``).
Today a completion made exactly one recurrence before the assignment date is not
credited, and one a day later is. These tests pin that, in the pure rule, in the
replay the rule preview uses, and in the sync that stores the assignments.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from compliance import scheduling, services
from compliance.scheduling import Rule, Status, timeline
from compliance.selectors import learner_requirements
from learner.models import Enrollment
from tests.compliance.factories import TrainingRequirementFactory
from tests.learner.factories import EnrollmentFactory, UserFactory

D = date.fromisoformat
LONDON = ZoneInfo("Europe/London")

YEARLY = Rule.relative(30, recurrence_months=12, window_days=30)
MONTHLY = Rule.relative(30, recurrence_months=1, window_days=7)
FIXED_YEARLY = Rule.fixed(D("2026-10-31"), recurrence_months=12, grace_days=14)

# (name, rule, assigned_on, exactly one recurrence before, the day after it)
BOUNDARIES = [
    ("yearly", YEARLY, "2026-03-15", "2025-03-15", "2025-03-16"),
    ("monthly", MONTHLY, "2026-03-15", "2026-02-15", "2026-02-16"),
    # 31 March less a month is clamped to 28 February.
    ("monthly from a month end", MONTHLY, "2026-03-31", "2026-02-28", "2026-03-01"),
    # 28 February 2029 less 12 months is 28 February 2028; the leap day is inside.
    ("yearly across a leap day", YEARLY, "2029-02-28", "2028-02-28", "2028-02-29"),
    ("fixed date, yearly", FIXED_YEARLY, "2026-03-15", "2025-03-15", "2025-03-16"),
]  # fmt: skip
IDS = [case[0] for case in BOUNDARIES]
CASES = [case[1:] for case in BOUNDARIES]


class TestCreditsPriorCompletionBoundary:
    @pytest.mark.parametrize(("rule", "assigned", "boundary", "inside"), CASES, ids=IDS)
    def test_exactly_one_recurrence_before_is_not_credited(self, rule, assigned, boundary, inside):
        assert not scheduling.credits_prior_completion(
            rule, completed_on=D(boundary), assigned_on=D(assigned)
        )

    @pytest.mark.parametrize(("rule", "assigned", "boundary", "inside"), CASES, ids=IDS)
    def test_one_day_inside_the_recurrence_is_credited(self, rule, assigned, boundary, inside):
        assert scheduling.credits_prior_completion(
            rule, completed_on=D(inside), assigned_on=D(assigned)
        )

    def test_one_off_training_credits_any_earlier_completion(self):
        one_off = Rule.relative(30, recurrence_months=None)
        assert scheduling.credits_prior_completion(
            one_off, completed_on=D("2016-03-15"), assigned_on=D("2026-03-15")
        )


class TestTimelineAtTheBoundary:
    """What the requirement preview shows for the person on the day they are assigned."""

    @pytest.mark.parametrize(("rule", "assigned", "boundary", "inside"), CASES, ids=IDS)
    def test_completion_exactly_one_recurrence_before_leaves_the_cycle_to_do(
        self, rule, assigned, boundary, inside
    ):
        standing = timeline(
            rule, assigned_on=D(assigned), completions=[D(boundary)], as_of=D(assigned)
        )
        assert (standing.cycle, standing.completed_on) == (1, None)
        assert standing.due == scheduling.first_due(rule, D(assigned))
        assert standing.status == Status.NOT_STARTED

    @pytest.mark.parametrize(("rule", "assigned", "boundary", "inside"), CASES, ids=IDS)
    def test_completion_one_day_inside_makes_them_compliant(self, rule, assigned, boundary, inside):
        standing = timeline(
            rule, assigned_on=D(assigned), completions=[D(inside)], as_of=D(assigned)
        )
        # Under a relative rule the credited completion expires one recurrence after it
        # was done, a day after the assignment, so the replay is already in the renewal:
        # compliant either way.
        assert standing.status == Status.COMPLIANT
        assert standing.cycle > 1 or standing.completed_on == D(inside)


@pytest.mark.django_db
class TestSyncCreditsAtTheBoundary:
    """A newcomer's first cycle, stored by the sync run on the assignment date."""

    ASSIGNED = D("2026-03-15")

    def assign(self, completed_at: datetime, *, assigned: date = ASSIGNED, **requirement_fields):
        learner = UserFactory()
        requirement = TrainingRequirementFactory(audience_users=[learner], **requirement_fields)
        EnrollmentFactory(
            user=learner,
            course=requirement.course,
            status=Enrollment.Status.COMPLETED,
            completed_at=completed_at,
        )
        result = services.assignments_sync_requirement(requirement, as_of=assigned)
        (row,) = learner_requirements(user=learner, as_of=assigned)
        return result, row

    def test_completion_exactly_a_year_before_is_not_credited(self):
        result, row = self.assign(datetime(2025, 3, 15, 12, tzinfo=LONDON))
        assert result.credited == 0
        assert (row.completed_on, row.due_on, row.status) == (
            None,
            D("2026-04-14"),
            Status.NOT_STARTED,
        )

    def test_completion_a_year_less_a_day_before_is_credited(self):
        result, row = self.assign(datetime(2025, 3, 16, 12, tzinfo=LONDON))
        assert result.credited == 1
        assert (row.completed_on, row.expires_on, row.status) == (
            D("2025-03-16"),
            D("2026-03-16"),
            Status.COMPLIANT,
        )

    def test_the_boundary_is_the_sites_calendar_day_not_utcs(self):
        # 00:30 on 16 July in London (summer time) is 23:30 on 15 July in UTC: the
        # site's date decides, and 16 July is inside the year before 15 July 2026.
        result, row = self.assign(
            datetime(2025, 7, 16, 0, 30, tzinfo=LONDON), assigned=D("2026-07-15")
        )
        assert result.credited == 1
        assert row.completed_on == D("2025-07-16")

    def test_last_minute_of_the_boundary_day_is_not_credited(self):
        result, row = self.assign(datetime(2025, 3, 15, 23, 59, tzinfo=LONDON))
        assert result.credited == 0
        assert row.completed_on is None

    def test_fixed_date_rule_boundary(self):
        fixed = {"fixed": True, "due_date": D("2026-10-31")}
        not_credited, row = self.assign(datetime(2025, 3, 15, 12, tzinfo=LONDON), **fixed)
        assert (not_credited.credited, row.completed_on, row.due_on) == (
            0,
            None,
            D("2026-10-31"),
        )
        credited, row = self.assign(datetime(2025, 3, 16, 12, tzinfo=LONDON), **fixed)
        assert (credited.credited, row.completed_on) == (1, D("2025-03-16"))
