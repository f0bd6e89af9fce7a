"""Renewal basis, table-driven: what the next due date (the expiry of a renewal) counts
from under "completion" (the default) and "previous expiry", for early, on-time and
late renewals, relative and fixed-date rules, and month ends."""

from datetime import date, timedelta

import pytest

from compliance import scheduling
from compliance.scheduling import RenewalBasis, Rule, Status, timeline


def d(text: str) -> date:
    return date.fromisoformat(text)


def both(rule: Rule) -> dict[RenewalBasis, Rule]:
    """The rule under each renewal basis."""
    return {
        RenewalBasis.COMPLETION: rule,
        RenewalBasis.PREVIOUS_EXPIRY: Rule(**{**rule.__dict__, "renewal_basis": "previous_expiry"}),
    }


YEARLY = Rule.relative(30, recurrence_months=12, window_days=30)
MONTHLY = Rule.relative(30, recurrence_months=1, window_days=7)
NO_WINDOW = Rule.relative(30, recurrence_months=12, window_days=0)
FIXED = Rule.fixed(d("2026-10-31"), recurrence_months=12, window_days=30)
FIXED_MONTH_END = Rule.fixed(d("2026-01-31"), recurrence_months=1, window_days=7)

C, P = RenewalBasis.COMPLETION, RenewalBasis.PREVIOUS_EXPIRY

# (name, rule, previous expiry = the renewal's due date, renewed on,
#  next due under "completion", next due under "previous expiry")
RENEWALS = [
    ("relative: early, inside the window", YEARLY, "2027-02-10", "2027-01-20",
     "2028-01-20", "2028-02-10"),
    ("relative: on the day the window opens", YEARLY, "2027-02-10", "2027-01-11",
     "2028-01-11", "2028-02-10"),
    ("relative: on the due date", YEARLY, "2027-02-10", "2027-02-10",
     "2028-02-10", "2028-02-10"),
    ("relative: a day late counts from completion", YEARLY, "2027-02-10", "2027-02-11",
     "2028-02-11", "2028-02-11"),
    ("relative: months late counts from completion", YEARLY, "2027-02-10", "2027-09-01",
     "2028-09-01", "2028-09-01"),
    ("relative, no window: on the due date", NO_WINDOW, "2027-02-10", "2027-02-10",
     "2028-02-10", "2028-02-10"),
    ("month end: early in March keeps the 31st's month end", MONTHLY, "2027-03-31",
     "2027-03-25", "2027-04-25", "2027-04-30"),
    ("month end: a 28 February expiry renews to 28 March", MONTHLY, "2027-02-28",
     "2027-02-25", "2027-03-25", "2027-03-28"),
    ("month end: late after 31 January, from completion", MONTHLY, "2027-01-31",
     "2027-02-03", "2027-03-03", "2027-03-03"),
    ("month end: 31 August, early", YEARLY, "2027-08-31", "2027-08-15",
     "2028-08-15", "2028-08-31"),
    ("leap day: 29 February expiry renewed early is next due 28 February", YEARLY,
     "2028-02-29", "2028-02-01", "2029-02-01", "2029-02-28"),
    ("leap day: early renewal onto a leap year keeps the 29th's month end", YEARLY,
     "2027-02-28", "2027-02-01", "2028-02-01", "2028-02-28"),
    ("fixed: early renewal, on the calendar date", FIXED, "2027-10-31", "2027-10-05",
     "2028-10-31", "2028-10-31"),
    ("fixed: on the due date", FIXED, "2027-10-31", "2027-10-31",
     "2028-10-31", "2028-10-31"),
    ("fixed: late renewal, still the calendar date", FIXED, "2027-10-31", "2027-11-20",
     "2028-10-31", "2028-10-31"),
    ("fixed monthly on the 31st: early in February", FIXED_MONTH_END, "2027-02-28",
     "2027-02-22", "2027-03-31", "2027-03-31"),
]  # fmt: skip


@pytest.mark.parametrize("basis", [C, P])
@pytest.mark.parametrize(
    ("rule", "previous", "renewed", "by_completion", "by_previous_expiry"),
    [case[1:] for case in RENEWALS],
    ids=[case[0] for case in RENEWALS],
)
def test_next_due_of_a_renewal(rule, previous, renewed, by_completion, by_previous_expiry, basis):
    expected = {C: by_completion, P: by_previous_expiry}[basis]

    next_due = scheduling.expires_on(
        both(rule)[basis], due=d(previous), completed_on=d(renewed), previous_expires=d(previous)
    )

    assert next_due == d(expected)


@pytest.mark.parametrize("basis", [C, P])
@pytest.mark.parametrize("rule", [YEARLY, MONTHLY, FIXED], ids=["yearly", "monthly", "fixed"])
def test_a_first_cycle_counts_from_completion_under_both(rule, basis):
    """A first cycle renews nothing: done early, it is not stretched to its due date."""
    due = scheduling.first_due(rule, d("2027-01-15"))
    done = due - timedelta(days=5)

    assert scheduling.expires_on(both(rule)[basis], due=due, completed_on=done) == (
        scheduling.expires_on(rule, due=due, completed_on=done)
    )


@pytest.mark.parametrize("rule", [YEARLY, MONTHLY], ids=["yearly", "monthly"])
def test_previous_expiry_never_gives_less_time_nor_a_past_due_date(rule):
    """Every renewal day from the window's opening to a year late: counting from the
    previous expiry gives at least what counting from completion gives, and the next
    due date is always after the renewal."""
    by_completion, by_expiry = both(rule).values()
    previous = d("2027-03-31")
    for offset in range(-rule.window_days, 366):
        renewed = previous + timedelta(days=offset)
        kwargs = {"due": previous, "completed_on": renewed, "previous_expires": previous}
        from_expiry = scheduling.expires_on(by_expiry, **kwargs)
        from_completion = scheduling.expires_on(by_completion, **kwargs)

        assert from_expiry >= from_completion > renewed, renewed
        if renewed > previous:  # late: the same under both
            assert from_expiry == from_completion, renewed


# Whole histories replayed: (name, rule, assigned, completions, as_of,
#  (due, expires, status) under "completion", the same under "previous expiry")
HISTORIES = [
    ("early renewal: the next expiry", YEARLY, "2026-01-15", ["2026-02-10", "2027-01-20"],
     "2027-03-01",
     ("2027-02-10", "2028-01-20", Status.COMPLIANT),
     ("2027-02-10", "2028-02-10", Status.COMPLIANT)),
    ("early renewal: between the two expiries", YEARLY, "2026-01-15",
     ["2026-02-10", "2027-01-20"], "2028-01-25",
     ("2028-01-20", None, Status.EXPIRED),
     ("2028-02-10", None, Status.COMPLIANT)),
    ("two early renewals in a row keep the original day", YEARLY, "2026-01-15",
     ["2026-02-10", "2027-01-20", "2028-01-15"], "2028-03-01",
     ("2028-01-20", "2029-01-15", Status.COMPLIANT),
     ("2028-02-10", "2029-02-10", Status.COMPLIANT)),
    ("renewal on the due date", YEARLY, "2026-01-15", ["2026-02-10", "2027-02-10"],
     "2027-03-01",
     ("2027-02-10", "2028-02-10", Status.COMPLIANT),
     ("2027-02-10", "2028-02-10", Status.COMPLIANT)),
    ("late renewal after expiry: from completion, due in the future", YEARLY, "2026-01-15",
     ["2026-02-10", "2027-03-01"], "2027-04-01",
     ("2027-02-10", "2028-03-01", Status.COMPLIANT),
     ("2027-02-10", "2028-03-01", Status.COMPLIANT)),
    ("a first cycle done early counts from completion", YEARLY, "2026-01-15",
     ["2026-01-20"], "2026-03-01",
     ("2026-02-14", "2027-01-20", Status.COMPLIANT),
     ("2026-02-14", "2027-01-20", Status.COMPLIANT)),
    ("month end, monthly: early renewal keeps the month end", MONTHLY, "2027-01-01",
     ["2027-01-31", "2027-02-25"], "2027-03-01",
     ("2027-02-28", "2027-03-25", Status.COMPLIANT),
     ("2027-02-28", "2027-03-28", Status.COMPLIANT)),
    ("fixed: early renewal is on the calendar under both", FIXED, "2026-03-01",
     ["2026-10-20", "2027-10-05"], "2027-11-15",
     ("2027-10-31", "2028-10-31", Status.COMPLIANT),
     ("2027-10-31", "2028-10-31", Status.COMPLIANT)),
    ("fixed: late renewal is on the calendar under both", FIXED, "2026-03-01",
     ["2026-10-20", "2027-11-20"], "2027-12-01",
     ("2027-10-31", "2028-10-31", Status.COMPLIANT),
     ("2027-10-31", "2028-10-31", Status.COMPLIANT)),
]  # fmt: skip


@pytest.mark.parametrize("basis", [C, P])
@pytest.mark.parametrize(
    ("rule", "assigned", "completions", "as_of", "by_completion", "by_previous_expiry"),
    [case[1:] for case in HISTORIES],
    ids=[case[0] for case in HISTORIES],
)
def test_history(rule, assigned, completions, as_of, by_completion, by_previous_expiry, basis):
    due, expires, status = {C: by_completion, P: by_previous_expiry}[basis]

    standing = timeline(
        both(rule)[basis],
        assigned_on=d(assigned),
        completions=[d(day) for day in completions],
        as_of=d(as_of),
    )

    assert (standing.due, standing.expires, standing.status) == (
        d(due),
        expires and d(expires),
        status,
    )


def test_there_are_cases_of_each_kind():
    names = " ".join(case[0] for case in RENEWALS + HISTORIES)
    for kind in ("early", "on the due date", "late", "fixed", "month end", "leap day"):
        assert kind in names, kind
