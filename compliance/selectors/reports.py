"""Compliance reporting: the per-requirement summary, the overall figures, and the
preview of a due rule before it is saved. Who may see whose figures is
:mod:`compliance.permissions`; the exports are :mod:`compliance.exports`.

Every figure is computed for an ``as_of`` date from the stored history, through
:func:`compliance.selectors.statuses`.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from learner.models import Enrollment

from .. import scheduling
from ..models import Assignment, TrainingRequirement
from ..scheduling import Status
from .assignments import attempt_of, local_date, status_counts

# --- Figures -------------------------------------------------------------------------

#: The summary table's status columns.
TABLE_ORDER = (
    Status.COMPLIANT,
    Status.DUE_SOON,
    Status.OVERDUE,
    Status.EXPIRED,
    Status.EXEMPT,
    Status.IN_PROGRESS,
    Status.NOT_STARTED,
)
#: Chart segments, left to right: the good news first, then the work still to do.
CHART_ORDER = (
    Status.COMPLIANT,
    Status.EXEMPT,
    Status.IN_PROGRESS,
    Status.NOT_STARTED,
    Status.DUE_SOON,
    Status.OVERDUE,
    Status.EXPIRED,
)


@dataclass(frozen=True)
class Segment:
    """One status's share of a stacked bar."""

    status: Status
    count: int
    percent: float  # of the bar's width, 0–100

    @property
    def label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class StatusCounts:
    """How many people are in each status, out of ``assigned`` (people × requirement,
    counting each person's current cycle once)."""

    assigned: int = 0
    counts: dict[Status, int] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: dict[str, int] | None) -> "StatusCounts":
        row = row or {}
        return cls(
            assigned=row.get("assigned", 0),
            counts={status: row.get(status.value, 0) for status in Status},
        )

    def count(self, status: Status) -> int:
        return self.counts.get(status, 0)

    @property
    def overdue(self) -> int:
        return self.count(Status.OVERDUE)

    @property
    def expired(self) -> int:
        return self.count(Status.EXPIRED)

    @property
    def due_soon(self) -> int:
        return self.count(Status.DUE_SOON)

    @property
    def columns(self) -> list[tuple[Status, int]]:
        """(status, count) in the summary table's column order."""
        return [(status, self.count(status)) for status in TABLE_ORDER]

    def __add__(self, other: "StatusCounts") -> "StatusCounts":
        return StatusCounts(
            assigned=self.assigned + other.assigned,
            counts={s: self.counts.get(s, 0) + other.counts.get(s, 0) for s in Status},
        )

    @property
    def percent_compliant(self) -> int | None:
        """The share of assigned people who are compliant **or exempt**, as a whole
        percentage rounded down (so 100% means everyone), or None when nobody is
        assigned. Exempt people count as meeting the requirement: an exemption is a
        recorded decision that they need not do it. Due soon, in progress and not
        started people are not (yet) compliant."""
        if not self.assigned:
            return None
        met = self.count(Status.COMPLIANT) + self.count(Status.EXEMPT)
        return met * 100 // self.assigned

    @property
    def segments(self) -> list[Segment]:
        """The stacked-bar segments in :data:`CHART_ORDER`, empty ones left out."""
        if not self.assigned:
            return []
        return [
            Segment(status, count, round(count * 100 / self.assigned, 2))
            for status in CHART_ORDER
            if (count := self.count(status))
        ]


@dataclass(frozen=True)
class RequirementSummary:
    requirement: TrainingRequirement
    figures: StatusCounts


def summary(*, as_of: date, assignments: QuerySet[Assignment]) -> list[RequirementSummary]:
    """Per active requirement, how its people stand on ``as_of`` (two queries, however
    many requirements and people: the requirements with their courses, and one grouped
    count over ``assignments``)."""
    requirements = list(TrainingRequirement.objects.filter(active=True).select_related("course"))
    rows = status_counts(as_of=as_of, queryset=assignments, requirements=requirements)
    return [
        RequirementSummary(requirement, StatusCounts.from_row(rows.get(requirement.pk)))
        for requirement in requirements
    ]


def overall(*, as_of: date, assignments: QuerySet[Assignment]) -> StatusCounts:
    """Everyone's standing on every active requirement on ``as_of``, added up."""
    total = StatusCounts()
    for row in status_counts(as_of=as_of, queryset=assignments).values():
        total += StatusCounts.from_row(row)
    return total


# --- Preview of a due rule -----------------------------------------------------------


#: How late the preview's example of a late renewal is.
LATE_EXAMPLE_DAYS = 7


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


@dataclass(frozen=True)
class RenewalStep:
    """One example renewal: done on ``completed_on``, the next one is due ``next_due``."""

    label: str
    completed_on: date
    next_due: date

    @property
    def text(self) -> str:
        return f"{self.label}, on {_day(self.completed_on)}: next due {_day(self.next_due)}."

    def as_json(self) -> dict:
        return {
            "label": self.label,
            "completed_on": self.completed_on.isoformat(),
            "next_due": self.next_due.isoformat(),
            "text": self.text,
        }


@dataclass(frozen=True)
class RenewalPreview:
    """Which renewal basis a rule applies, in words, with the dates it gives someone
    assigned on the preview's date who does the first cycle on its due date and renews
    early (on the day the window opens), on the due date, or late."""

    basis: str
    text: str
    steps: tuple[RenewalStep, ...] = ()

    def as_json(self) -> dict:
        return {
            "basis": self.basis,
            "text": self.text,
            "steps": [step.as_json() for step in self.steps],
        }


def renewal_preview(*, rule: scheduling.Rule, as_of: date) -> RenewalPreview:
    """The renewal part of the rule preview, worked out by
    :func:`compliance.scheduling.expires_on` (the rule behind every stored expiry)."""
    if not rule.recurrence_months:
        return RenewalPreview(
            basis=rule.renewal_basis,
            text="One-off training: once done it does not expire, so there are no renewals.",
        )
    months = rule.recurrence_months
    if rule.kind == "fixed":
        text = (
            "Renewals fall on the fixed date every "
            f"{months} months, however early or late they are done."
        )
    elif rule.renewal_basis == scheduling.RenewalBasis.PREVIOUS_EXPIRY:
        text = (
            "Renewals count from the previous expiry: a renewal done by its due date is "
            f"next due {months} months after that due date, so renewing early costs "
            f"nothing; a late one is next due {months} months after it is done."
        )
    else:
        text = (
            f"Renewals count from the completion date: the next is due {months} months "
            "after a renewal is done, so renewing early brings the next due date forward."
        )
    first = scheduling.first_due(rule, as_of)
    renewal_due = scheduling.expires_on(rule, due=first, completed_on=first)
    opens = scheduling.opens_on(rule, renewal_due)
    text += (
        f" Someone assigned today is first due {_day(first)}; done then, the renewal "
        f"opens {_day(opens)} and is due {_day(renewal_due)}."
    )
    examples = [
        ("Renewed early, as the window opens", opens),
        ("Renewed on the due date", renewal_due),
        (f"Renewed {LATE_EXAMPLE_DAYS} days late", renewal_due + timedelta(LATE_EXAMPLE_DAYS)),
    ]
    if opens == renewal_due:  # no window: nothing can be early
        examples.pop(0)
    steps = tuple(
        RenewalStep(
            label=label,
            completed_on=done,
            next_due=scheduling.expires_on(
                rule, due=renewal_due, completed_on=done, previous_expires=renewal_due
            ),
        )
        for label, done in examples
    )
    return RenewalPreview(basis=rule.renewal_basis, text=text, steps=steps)


@dataclass(frozen=True)
class RulePreview:
    """What a requirement's rule would mean on ``as_of``, before it is saved."""

    as_of: date
    active: bool
    assigned: int
    newly_assigned: int
    moved_due_dates: int
    statuses: dict[Status, int]
    #: The course's capacity (most active learners at once); None: unlimited.
    capacity: int | None = None
    #: Whether the full course puts the rest on its waitlist (else it refuses them).
    waitlist: bool = True
    #: Which renewal basis applies and the dates it gives (:func:`renewal_preview`).
    renewal: RenewalPreview | None = None

    def as_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "active": self.active,
            "assigned": self.assigned,
            "newly_assigned": self.newly_assigned,
            "moved_due_dates": self.moved_due_dates,
            **{status.value: self.statuses.get(status, 0) for status in Status},
            "capacity": self.capacity,
            "message": self.message,
            "warning": self.capacity_warning,
            "renewal": self.renewal.as_json() if self.renewal else None,
        }

    @property
    def over_capacity(self) -> bool:
        return self.capacity is not None and self.capacity < self.assigned

    @property
    def capacity_warning(self) -> str:
        """Said when the course cannot seat everyone the rule assigns at once; empty
        otherwise. Seats free up as people finish, so it is a warning, not an error."""
        if not self.over_capacity:
            return ""
        rest = (
            "the others would wait on its waitlist until seats free up."
            if self.waitlist
            else "the others could not enrol until seats free up (its waitlist is off)."
        )
        return (
            f"The course has room for {self.capacity} active learners at once, fewer than "
            f"the {self.assigned} people this rule assigns: {rest}"
        )

    @property
    def message(self) -> str:
        people = "person" if self.assigned == 1 else "people"
        text = (
            f"As of {self.as_of:%-d %B %Y}: {self.assigned} {people} assigned "
            f"({self.newly_assigned} new), {self.statuses.get(Status.DUE_SOON, 0)} due soon, "
            f"{self.statuses.get(Status.OVERDUE, 0)} overdue."
        )
        if self.moved_due_dates:
            text += (
                f" Under this rule {self.moved_due_dates} current due date(s) would differ; "
                "saving moves open first-cycle due dates to the new rule (completed cycles "
                "and renewals keep theirs)."
            )
        if not self.active:
            text += " The requirement is inactive: nobody is assigned until it is active."
        return text


def rule_preview(
    *,
    requirement: TrainingRequirement,
    group_ids: list[int],
    user_ids: list[int],
    as_of: date,
) -> RulePreview:
    """How many people a requirement's (unsaved) rule and audience would assign, and
    how many of them would be due soon or overdue on ``as_of``.

    ``requirement`` carries the form's values (course, rule fields) and, when editing,
    the primary key of the saved requirement. The answer replays each person's history
    with the pure :func:`compliance.scheduling.timeline`:

    - the audience is the active users in ``group_ids`` or named in ``user_ids`` (as
      the sync computes it);
    - a newcomer is assigned on ``as_of``;
    - someone already assigned keeps their first assignment date, and their cycles are
      replayed under the new rule from that date with every completion of the chosen
      course, so their due dates are re-evaluated (a grace period, a recurrence or a
      window changed by the edit shows up);
    - the current exemption comes from the stored rows; whether someone is in progress
      follows the same rule as the report and the dashboard
      (:func:`compliance.scheduling.in_progress`, on the replayed cycle).

    Approximations: the replay treats every completion of the course as counting when
    it falls in an open cycle, while the stored rows only credit completions made while
    the requirement was active and the person in its audience; and saving an edited
    rule does not move due dates already assigned (the sync only creates and closes
    cycles), which ``moved_due_dates`` counts. Three queries, whatever the audience size.

    The answer carries the course's capacity, so the preview can warn when the course
    seats fewer people at once than the rule assigns, and which renewal basis applies
    with example dates (:func:`renewal_preview`).
    """
    rule = requirement.rule
    audience = set(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__in=group_ids) | Q(pk__in=user_ids))
        .values_list("pk", flat=True)
        .distinct()
    )
    first_assigned: dict[int, date] = {}
    current: dict[int, Assignment] = {}
    if requirement.pk:
        rows = Assignment.objects.filter(requirement_id=requirement.pk, user_id__in=audience)
        for row in rows.order_by("user_id", "cycle"):
            first_assigned.setdefault(row.user_id, row.assigned_on)
            if row.opens_on <= as_of and (row.closed_on is None or row.closed_on > as_of):
                current[row.user_id] = row

    completions: dict[int, list[date]] = {}
    attempts: dict[int, list[scheduling.Attempt]] = {}
    enrollments = Enrollment.objects.filter(
        course_id=requirement.course_id, user_id__in=audience
    ).values_list("user_id", "status", "activated_at", "completed_at", "ended_at")
    for user_id, status, activated_at, completed_at, ended_at in enrollments:
        attempts.setdefault(user_id, []).append(
            attempt_of(activated_at=activated_at, completed_at=completed_at, ended_at=ended_at)
        )
        if status == Enrollment.Status.COMPLETED and completed_at is not None:
            completions.setdefault(user_id, []).append(local_date(moment=completed_at))

    tally: Counter[Status] = Counter()
    moved = 0
    for user_id in audience:
        row = current.get(user_id)
        standing = scheduling.timeline(
            rule,
            assigned_on=first_assigned.get(user_id, as_of),
            completions=completions.get(user_id, []),
            as_of=as_of,
            attempts=attempts.get(user_id, ()),
            exempt=bool(row and row.exempt and row.exempted_on and row.exempted_on <= as_of),
        )
        tally[standing.status] += 1
        if row is not None and row.completed_on is None and standing.due != row.due_on:
            moved += 1
    return RulePreview(
        as_of=as_of,
        active=requirement.active,
        assigned=len(audience),
        newly_assigned=len(audience - first_assigned.keys()),
        moved_due_dates=moved,
        statuses=dict(tally),
        capacity=requirement.course.capacity,
        waitlist=requirement.course.waitlist_enabled,
        renewal=renewal_preview(rule=rule, as_of=as_of),
    )
