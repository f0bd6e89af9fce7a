"""Scheduling rules for required training, as pure functions of dates.

Nothing here touches the database: callers pass a :class:`Rule` and dates, and get
dates or a status back. All dates are calendar dates in the site's time zone; a due
date is met until the end of that day and missed from the start of the next.

Rules (DESIGN.md, "Compliance"):

- **Fixed date**: cycle *k* is due on ``due_date + (k-1) × recurrence``. Someone
  assigned after this cycle's date is due on the next one; someone assigned with less
  than ``grace_days`` to go gets ``assigned + grace_days`` instead.

  >>> rule = Rule.fixed(date(2026, 10, 31), recurrence_months=12, grace_days=14)
  >>> first_due(rule, assigned_on=date(2026, 3, 1))
  datetime.date(2026, 10, 31)
  >>> first_due(rule, assigned_on=date(2026, 10, 25))   # under 14 days to go
  datetime.date(2026, 11, 8)
  >>> first_due(rule, assigned_on=date(2026, 11, 15))   # after this year's date
  datetime.date(2027, 10, 31)

- **Relative**: the first cycle is due ``due_days`` after assignment; each later cycle
  is due ``recurrence`` after the previous completion.

  >>> rule = Rule.relative(due_days=30, recurrence_months=12)
  >>> first_due(rule, assigned_on=date(2026, 1, 15))
  datetime.date(2026, 2, 14)
  >>> next_due(rule, previous_due=date(2026, 2, 14), completed_on=date(2026, 2, 1))
  datetime.date(2027, 2, 1)

- A later cycle opens ``window_days`` before it is due; a completion while a cycle is
  open completes it (late when after the due date).
- **Renewal basis** (relative rules; :class:`RenewalBasis`): the next cycle is due one
  recurrence after the completion (``completion``, the default), or, for a renewal done
  by its due date (inside its window), one recurrence after the previous expiry
  (``previous_expiry``), so renewing early costs nothing. A late renewal, after the
  previous certification expired, counts from its completion under both, so the next
  due date is never in the past. A fixed-date rule always renews on its calendar date.

  >>> early = Rule.relative(30, recurrence_months=12, renewal_basis="previous_expiry")
  >>> next_due(early, previous_due=date(2027, 2, 1), completed_on=date(2027, 1, 10),
  ...          previous_expires=date(2027, 2, 1))
  datetime.date(2028, 2, 1)
  >>> next_due(early, previous_due=date(2027, 2, 1), completed_on=date(2027, 3, 10),
  ...          previous_expires=date(2027, 2, 1))            # late: from completion
  datetime.date(2028, 3, 10)

- A completion before assignment counts for the first cycle when it is within one
  recurrence period before the assignment (at any time, for one-off training).
- **Validity**: a completion that lasts *n* months counts through the same calendar
  day *n* months later (:func:`valid_through`), to the end of that day, like a due
  date: done on 1 December 2026 for 12 months, it counts through 1 December 2027 and
  has lapsed from 2 December. That day is what every page, export, email and
  certificate shows as the expiry.

  >>> valid_through(date(2026, 12, 1), 12)
  datetime.date(2027, 12, 1)

- **In progress**: someone is working on a cycle when they have an enrolment in the
  course that was started by then and is still open, or that was started while the
  cycle is open (:func:`in_progress`). An attempt completed before the cycle opened (too
  old to be credited) does not count, nor does one withdrawn or rejected by then.
- Month arithmetic clamps to the month's end: 31 January + 1 month is the last day of
  February, and 29 February + 12 months is 28 February.

  >>> add_months(date(2026, 1, 31), 1)
  datetime.date(2026, 2, 28)
  >>> add_months(date(2028, 2, 29), 12)
  datetime.date(2029, 2, 28)
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum


class Status(StrEnum):
    """A person's standing on a requirement at a moment, most urgent first."""

    OVERDUE = "overdue"
    EXPIRED = "expired"
    DUE_SOON = "due_soon"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    COMPLIANT = "compliant"
    EXEMPT = "exempt"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.OVERDUE: "Overdue",
    Status.EXPIRED: "Expired",
    Status.DUE_SOON: "Due soon",
    Status.IN_PROGRESS: "In progress",
    Status.NOT_STARTED: "Not started",
    Status.COMPLIANT: "Compliant",
    Status.EXEMPT: "Exempt",
}
#: Sort order for "most urgent first".
URGENCY = {status: rank for rank, status in enumerate(Status)}


class RenewalBasis(StrEnum):
    """What a relative rule's next due date (the expiry of a completion) counts from."""

    #: One recurrence after the completion date, however early it was done.
    COMPLETION = "completion"
    #: A renewal done by its due date: one recurrence after the previous expiry (that
    #: due date); a late one, or a first cycle, counts from its completion.
    PREVIOUS_EXPIRY = "previous_expiry"


@dataclass(frozen=True)
class Rule:
    """A requirement's due rule. Use :meth:`fixed` or :meth:`relative`."""

    kind: str  # "fixed" or "relative"
    due_date: date | None = None
    due_days: int | None = None
    recurrence_months: int | None = None
    window_days: int = 30
    grace_days: int = 14
    reminder_days: tuple[int, ...] = field(default=(14, 7, 1))
    renewal_basis: str = RenewalBasis.COMPLETION

    @classmethod
    def fixed(cls, due_date: date, **kwargs) -> "Rule":
        return cls(kind="fixed", due_date=due_date, **kwargs)

    @classmethod
    def relative(cls, due_days: int, **kwargs) -> "Rule":
        return cls(kind="relative", due_days=due_days, **kwargs)

    @property
    def due_soon_days(self) -> int:
        """Within this many days of the due date, open work is "due soon"."""
        return max(self.reminder_days, default=0)


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month.
    A ``datetime`` keeps its time and time zone."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def valid_through(completed_on: date, months: int) -> date:
    """The last day a completion on ``completed_on`` that lasts ``months`` calendar
    months counts: the same day ``months`` later (clamped to a shorter month's end). It
    counts to the end of that day in the site's time zone and has lapsed from the next.
    The one rule for a relative requirement's renewal date and a certificate's expiry."""
    return add_months(completed_on, months)


def fixed_cycle_due(rule: Rule, cycle: int) -> date:
    """The due date of fixed-date cycle ``cycle`` (1-based), before any grace."""
    if cycle == 1 or not rule.recurrence_months:
        return rule.due_date
    return add_months(rule.due_date, (cycle - 1) * rule.recurrence_months)


def first_fixed_cycle(rule: Rule, assigned_on: date) -> int:
    """The first fixed-date cycle someone assigned on ``assigned_on`` is due in: the
    first whose date is not before the assignment (cycle 1 for one-off training)."""
    if not rule.recurrence_months:
        return 1
    cycle = 1
    while fixed_cycle_due(rule, cycle) < assigned_on:
        cycle += 1
    return cycle


def with_grace(rule: Rule, due: date, assigned_on: date) -> date:
    """Give at least ``grace_days`` of lead time to someone assigned late."""
    return max(due, assigned_on + timedelta(days=rule.grace_days))


def first_due(rule: Rule, assigned_on: date) -> date:
    """When the first cycle of someone assigned on ``assigned_on`` is due."""
    if rule.kind == "relative":
        return assigned_on + timedelta(days=rule.due_days or 0)
    due = fixed_cycle_due(rule, first_fixed_cycle(rule, assigned_on))
    return with_grace(rule, due, assigned_on)


def next_due(
    rule: Rule, *, previous_due: date, completed_on: date, previous_expires: date | None = None
) -> date | None:
    """When the cycle after one due on ``previous_due`` and completed on
    ``completed_on`` is due; None for one-off training. ``previous_expires`` is the
    expiry that cycle renews (None for a first cycle).

    Fixed: the next fixed date after the previous due date (a new hire's grace date
    falls back onto the regular calendar), whatever the renewal basis. Relative: one
    recurrence after the completion, or after the previous expiry when the rule counts
    from it and the renewal was done by then (:func:`renewal_start`).
    """
    if not rule.recurrence_months:
        return None
    if rule.kind == "relative":
        start = renewal_start(rule, completed_on=completed_on, previous_expires=previous_expires)
        return valid_through(start, rule.recurrence_months)
    cycle = 1
    while fixed_cycle_due(rule, cycle) <= previous_due:
        cycle += 1
    return fixed_cycle_due(rule, cycle)


def renewal_start(rule: Rule, *, completed_on: date, previous_expires: date | None) -> date:
    """The day a relative rule counts the next recurrence from: the previous expiry for
    a renewal done by then under :attr:`RenewalBasis.PREVIOUS_EXPIRY`, else the
    completion. Never before the completion, so a renewal never gets less time than
    counting from its completion would give, and a late one is never due in the past."""
    counts_from_expiry = (
        rule.renewal_basis == RenewalBasis.PREVIOUS_EXPIRY
        and previous_expires is not None
        and completed_on <= previous_expires
    )
    return previous_expires if counts_from_expiry else completed_on


def opens_on(rule: Rule, due: date) -> date:
    """A later cycle opens ``window_days`` before it is due."""
    return due - timedelta(days=rule.window_days)


def expires_on(
    rule: Rule, *, due: date, completed_on: date, previous_expires: date | None = None
) -> date | None:
    """The last day a completion counts: the next cycle's due date (None for one-off
    training), so a renewal done by its due date never leaves a gap. Pass the expiry a
    renewal renews as ``previous_expires`` (``Assignment.previous_expires_on``): the
    renewal basis needs it. The one rule behind every stored expiry, and so behind the
    certificate, reports, exports and emails."""
    return next_due(
        rule, previous_due=due, completed_on=completed_on, previous_expires=previous_expires
    )


def credits_prior_completion(rule: Rule, *, completed_on: date, assigned_on: date) -> bool:
    """Whether a completion before assignment counts for the first cycle: within one
    recurrence period before the assignment, or at any time for one-off training."""
    if completed_on > assigned_on:
        return False
    if not rule.recurrence_months:
        return True
    return completed_on > add_months(assigned_on, -rule.recurrence_months)


@dataclass(frozen=True)
class Attempt:
    """One enrolment in the course, as calendar dates in the site's time zone: when it
    was started (activated; None while pending or waitlisted), completed, and ended
    (withdrawn or rejected)."""

    started_on: date | None
    completed_on: date | None = None
    ended_on: date | None = None

    def works_on(self, *, opens_on: date, as_of: date) -> bool:
        """Whether this attempt makes someone in progress on ``as_of`` on a cycle that
        opened on ``opens_on``: started by ``as_of``, not withdrawn or rejected by then,
        and either still open (not completed by then) or started while the cycle is open.
        The database twin is ``compliance.selectors.in_progress_enrollments``."""
        if self.started_on is None or self.started_on > as_of:
            return False
        if self.ended_on is not None and self.ended_on <= as_of:
            return False
        still_open = self.completed_on is None or self.completed_on > as_of
        return still_open or self.started_on >= opens_on


def in_progress(attempts: Iterable[Attempt], *, opens_on: date, as_of: date) -> bool:
    """Whether any of someone's ``attempts`` at the course makes them in progress on
    ``as_of`` on the cycle that opened on ``opens_on`` (see :meth:`Attempt.works_on`).

    >>> old = Attempt(started_on=date(2024, 1, 5), completed_on=date(2024, 2, 1))
    >>> in_progress([old], opens_on=date(2026, 6, 1), as_of=date(2026, 6, 10))
    False
    >>> retake = Attempt(started_on=date(2026, 5, 20))
    >>> in_progress([old, retake], opens_on=date(2026, 6, 1), as_of=date(2026, 6, 10))
    True
    """
    return any(attempt.works_on(opens_on=opens_on, as_of=as_of) for attempt in attempts)


def cycle_status(
    rule: Rule,
    *,
    as_of: date,
    due: date,
    completed_on: date | None = None,
    expires: date | None = None,
    previous_expires: date | None = None,
    started: bool = False,
    exempt: bool = False,
) -> Status:
    """A person's status from their current cycle (the latest one open by ``as_of``).

    - exempt when exempted;
    - a completed cycle is compliant through its expiry date, then expired;
    - an open renewal is compliant while the previous completion is unexpired (through
      its expiry date, which is the renewal's due date), and expired after it;
    - a first cycle is overdue after its due date, due soon within the largest
      reminder day, in progress when ``started`` (an attempt at the course counts for
      this cycle: :func:`in_progress`), else not started.
    """
    if exempt:
        return Status.EXEMPT
    if completed_on is not None and completed_on <= as_of:
        return Status.COMPLIANT if expires is None or as_of <= expires else Status.EXPIRED
    if previous_expires is not None:
        return Status.COMPLIANT if as_of <= previous_expires else Status.EXPIRED
    if as_of > due:
        return Status.OVERDUE
    if (due - as_of).days <= rule.due_soon_days:
        return Status.DUE_SOON
    return Status.IN_PROGRESS if started else Status.NOT_STARTED


def reminder_step(rule: Rule, *, as_of: date, due: date) -> int | None:
    """The before-due reminder that is due on ``as_of``: the smallest reminder day
    already reached, so a job that missed days sends only the latest one.

    >>> reminder_step(Rule.relative(30, reminder_days=(14, 7, 1)), as_of=date(2026, 5, 26),
    ...               due=date(2026, 6, 1))
    7
    """
    if as_of > due:
        return None
    days_left = (due - as_of).days
    reached = [d for d in rule.reminder_days if days_left <= d]
    return min(reached) if reached else None


def overdue_step(*, as_of: date, due: date, every_days: int) -> int | None:
    """Which overdue reminder is due: 0 on the first overdue day, then 1, 2… every
    ``every_days`` days (only 0 when repeats are off).

    >>> overdue_step(as_of=date(2026, 6, 2), due=date(2026, 6, 1), every_days=7)
    0
    >>> overdue_step(as_of=date(2026, 6, 16), due=date(2026, 6, 1), every_days=7)
    2
    """
    if as_of <= due:
        return None
    days_over = (as_of - due).days - 1
    return days_over // every_days if every_days else 0


@dataclass(frozen=True)
class Standing:
    """Where a person stands on ``as_of``: their current cycle and its status."""

    cycle: int
    due: date
    status: Status
    completed_on: date | None = None
    expires: date | None = None
    late: bool = False


def timeline(
    rule: Rule,
    *,
    assigned_on: date,
    completions: list[date],
    as_of: date,
    attempts: Iterable[Attempt] = (),
    exempt: bool = False,
) -> Standing:
    """Replay a person's history under ``rule`` and say where they stand on ``as_of``.

    ``completions`` are the days they completed the course (any order, before or after
    assignment); ``attempts`` are their enrolments in it, which decide whether they are
    in progress on the open cycle (:func:`in_progress`). The replay applies every rule
    above: the first due date (with grace), credit for an earlier completion, cycles
    opening ``window_days`` before they are due, completions only counting while a
    cycle is open, and renewals. It is what the database services do row by row, as one
    pure function: the requirement preview and the scheduling tests use it.
    """
    done = sorted(d for d in completions if d <= as_of)
    due = first_due(rule, assigned_on)
    cycle, opened, previous_expires = 1, assigned_on, None
    prior = [d for d in done if d <= assigned_on]
    completed = None
    if prior and credits_prior_completion(rule, completed_on=prior[-1], assigned_on=assigned_on):
        completed = prior[-1]
    later = [d for d in done if d > assigned_on]
    while True:
        if completed is None:
            completed = next((d for d in later if d >= opened), None)
        if completed is None:
            break
        expires = expires_on(
            rule, due=due, completed_on=completed, previous_expires=previous_expires
        )
        if expires is None or opens_on(rule, expires) > as_of:
            return Standing(
                cycle=cycle,
                due=due,
                completed_on=completed,
                expires=expires,
                late=completed > due,
                status=cycle_status(
                    rule,
                    as_of=as_of,
                    due=due,
                    completed_on=completed,
                    expires=expires,
                    exempt=exempt,
                ),
            )
        # The renewal has opened by as_of: it becomes the current cycle.
        later = [d for d in later if d > completed]
        cycle, opened, previous_expires, due = cycle + 1, opens_on(rule, expires), expires, expires
        completed = None
    return Standing(
        cycle=cycle,
        due=due,
        status=cycle_status(
            rule,
            as_of=as_of,
            due=due,
            previous_expires=previous_expires,
            started=in_progress(attempts, opens_on=opened, as_of=as_of),
            exempt=exempt,
        ),
    )
