"""The scheduling rules, table-driven: rule + history + as_of → due date and status."""

from datetime import date

import pytest

from compliance import scheduling
from compliance.scheduling import Attempt, Rule, Status, add_months, timeline


def d(text: str) -> date:
    return date.fromisoformat(text)


RELATIVE = Rule.relative(30, recurrence_months=12, window_days=30, reminder_days=(14, 7, 1))
ONE_OFF = Rule.relative(30, recurrence_months=None)
MONTHLY = Rule.relative(30, recurrence_months=1, window_days=7, reminder_days=(3,))
FIXED = Rule.fixed(d("2026-10-31"), recurrence_months=12, grace_days=14, window_days=30)
FIXED_ONCE = Rule.fixed(d("2026-06-30"), grace_days=14)
FIXED_MONTH_END = Rule.fixed(d("2026-01-31"), recurrence_months=1, grace_days=14)

# (name, rule, assigned_on, completions, as_of, extra, expected due, expected status)
CASES = [
    ("relative: first cycle not started", RELATIVE, "2026-01-15", [], "2026-01-20", {},
     "2026-02-14", Status.NOT_STARTED),
    ("relative: started counts as in progress", RELATIVE, "2026-01-15", [], "2026-01-20",
     {"attempts": [Attempt(started_on=d("2026-01-16"))]}, "2026-02-14", Status.IN_PROGRESS),
    ("relative: an attempt completed too long ago is not in progress", RELATIVE,
     "2026-01-15", ["2024-06-01"], "2026-01-20",
     {"attempts": [Attempt(started_on=d("2024-05-20"), completed_on=d("2024-06-01"))]},
     "2026-02-14", Status.NOT_STARTED),
    ("relative: within the largest reminder day is due soon", RELATIVE, "2026-01-15", [],
     "2026-02-01", {}, "2026-02-14", Status.DUE_SOON),
    ("relative: the due date itself is still on time", RELATIVE, "2026-01-15", [],
     "2026-02-14", {}, "2026-02-14", Status.DUE_SOON),
    ("relative: overdue from the next day", RELATIVE, "2026-01-15", [], "2026-02-15", {},
     "2026-02-14", Status.OVERDUE),
    ("relative: completed on time", RELATIVE, "2026-01-15", ["2026-02-10"], "2026-03-01", {},
     "2026-02-14", Status.COMPLIANT),
    ("relative: late completion still completes the cycle", RELATIVE, "2026-01-15",
     ["2026-02-20"], "2026-03-01", {}, "2026-02-14", Status.COMPLIANT),
    ("relative: renewal window open, previous still valid", RELATIVE, "2026-01-15",
     ["2026-02-10"], "2027-01-15", {}, "2027-02-10", Status.COMPLIANT),
    ("relative: expiry day is the last compliant day", RELATIVE, "2026-01-15", ["2026-02-10"],
     "2027-02-10", {}, "2027-02-10", Status.COMPLIANT),
    ("relative: lapsed renewal is expired", RELATIVE, "2026-01-15", ["2026-02-10"],
     "2027-02-11", {}, "2027-02-10", Status.EXPIRED),
    ("relative: renewal done in its window", RELATIVE, "2026-01-15",
     ["2026-02-10", "2027-01-20"], "2027-02-11", {}, "2027-02-10", Status.COMPLIANT),
    ("relative: a completion before the window opens does not renew", RELATIVE,
     "2026-01-15", ["2026-02-10", "2026-12-01"], "2027-02-11", {}, "2027-02-10",
     Status.EXPIRED),
    ("relative: earlier completion within a year is credited", RELATIVE, "2026-01-15",
     ["2025-06-01"], "2026-03-01", {}, "2026-02-14", Status.COMPLIANT),
    ("relative: credited completion expires a year after it was done", RELATIVE,
     "2026-01-15", ["2025-06-01"], "2026-06-02", {}, "2026-06-01", Status.EXPIRED),
    ("relative: completion over a year before is not credited", RELATIVE, "2026-01-15",
     ["2024-12-01"], "2026-01-20", {}, "2026-02-14", Status.NOT_STARTED),
    ("one-off: any earlier completion is credited for good", ONE_OFF, "2026-01-15",
     ["2020-01-01"], "2030-01-01", {}, "2026-02-14", Status.COMPLIANT),
    ("one-off: completion never expires", ONE_OFF, "2026-01-15", ["2026-02-01"],
     "2035-01-01", {}, "2026-02-14", Status.COMPLIANT),
    ("month end: 31 January + 1 month is 28 February", MONTHLY, "2026-01-10",
     ["2026-01-31"], "2026-02-22", {}, "2026-02-28", Status.COMPLIANT),
    ("leap day: 29 February + 12 months is 28 February", RELATIVE, "2028-02-01",
     ["2028-02-29"], "2029-03-01", {}, "2029-02-28", Status.EXPIRED),
    ("fixed: assigned early, due on the date", FIXED, "2026-03-01", [], "2026-09-01", {},
     "2026-10-31", Status.NOT_STARTED),
    ("fixed: late assignment gets the grace period", FIXED, "2026-10-25", [], "2026-11-08",
     {}, "2026-11-08", Status.DUE_SOON),
    ("fixed: overdue the day after the grace date", FIXED, "2026-10-25", [], "2026-11-09", {},
     "2026-11-08", Status.OVERDUE),
    ("fixed: assigned after this year's date, due next year", FIXED, "2026-11-15", [],
     "2026-12-01", {}, "2027-10-31", Status.NOT_STARTED),
    ("fixed: renewal opens before next year's date", FIXED, "2026-03-01", ["2026-10-20"],
     "2027-10-05", {}, "2027-10-31", Status.COMPLIANT),
    ("fixed: renewal missed is expired", FIXED, "2026-03-01", ["2026-10-20"], "2027-11-01",
     {}, "2027-10-31", Status.EXPIRED),
    ("fixed: grace cycle renews on the regular date", FIXED, "2026-10-25", ["2026-11-05"],
     "2027-01-01", {}, "2026-11-08", Status.COMPLIANT),
    ("fixed: late completion counts, renewal on the regular date", FIXED, "2026-03-01",
     ["2026-11-20"], "2027-10-02", {}, "2027-10-31", Status.COMPLIANT),
    ("fixed one-off: past date, assigned late, gets grace", FIXED_ONCE, "2026-07-05", [],
     "2026-07-20", {}, "2026-07-19", Status.OVERDUE),
    ("fixed monthly on the 31st: February's cycle is the 28th", FIXED_MONTH_END,
     "2026-02-01", [], "2026-02-10", {}, "2026-02-28", Status.NOT_STARTED),
    ("exemption beats everything", RELATIVE, "2026-01-15", [], "2026-06-01",
     {"exempt": True}, "2026-02-14", Status.EXEMPT),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule", "assigned", "completions", "as_of", "extra", "due", "status"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_schedule(rule, assigned, completions, as_of, extra, due, status):
    standing = timeline(
        rule,
        assigned_on=d(assigned),
        completions=[d(c) for c in completions],
        as_of=d(as_of),
        **extra,
    )
    assert (standing.due, standing.status) == (d(due), status)


def test_there_are_at_least_25_cases():
    assert len(CASES) >= 25


class TestDetails:
    def test_late_completion_is_flagged(self):
        standing = timeline(
            RELATIVE, assigned_on=d("2026-01-15"), completions=[d("2026-02-20")],
            as_of=d("2026-03-01"),
        )  # fmt: skip
        assert standing.late
        assert standing.expires == d("2027-02-20")

    def test_fixed_renewal_expiry_is_the_next_fixed_date(self):
        standing = timeline(
            FIXED, assigned_on=d("2026-03-01"), completions=[d("2026-11-20")],
            as_of=d("2026-12-01"),
        )  # fmt: skip
        assert standing.expires == d("2027-10-31")

    @pytest.mark.parametrize(
        ("start", "months", "expected"),
        [
            ("2026-01-31", 1, "2026-02-28"),
            ("2028-01-31", 1, "2028-02-29"),
            ("2028-02-29", 12, "2029-02-28"),
            ("2026-03-31", -1, "2026-02-28"),
            ("2026-12-15", 1, "2027-01-15"),
            ("2026-05-31", 12, "2027-05-31"),
        ],
    )
    def test_add_months(self, start, months, expected):
        assert add_months(d(start), months) == d(expected)

    def test_reminder_step_sends_only_the_latest_missed_reminder(self):
        rule = Rule.relative(30, reminder_days=(14, 7, 1))
        due = d("2026-06-30")
        assert scheduling.reminder_step(rule, as_of=d("2026-06-10"), due=due) is None
        assert scheduling.reminder_step(rule, as_of=d("2026-06-16"), due=due) == 14
        assert scheduling.reminder_step(rule, as_of=d("2026-06-25"), due=due) == 7
        assert scheduling.reminder_step(rule, as_of=d("2026-06-30"), due=due) == 1
        assert scheduling.reminder_step(rule, as_of=d("2026-07-01"), due=due) is None

    def test_overdue_steps_repeat(self):
        due = d("2026-06-30")
        steps = [
            scheduling.overdue_step(as_of=d(day), due=due, every_days=7)
            for day in ["2026-06-30", "2026-07-01", "2026-07-07", "2026-07-08", "2026-07-15"]
        ]
        assert steps == [None, 0, 0, 1, 2]
        assert scheduling.overdue_step(as_of=d("2026-09-01"), due=due, every_days=0) == 0


def test_docstring_examples_hold():
    import doctest

    failures, tried = doctest.testmod(scheduling)
    assert tried >= 10
    assert failures == 0
