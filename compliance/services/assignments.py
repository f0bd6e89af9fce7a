"""Operations that change compliance state: syncing assignments with the audience,
crediting completions, exemptions. Messages are in
:mod:`compliance.services.notifications`.

Every operation takes ``as_of`` (a date in the site's time zone) so tests and
backfills fix the date instead of patching the clock. The sync is idempotent and
set-based: a fixed number of queries per requirement, whatever the audience size.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from base.errors import FledgeError
from base.prepared import Marker, PreparedQuery
from learner.models import Enrollment

from .. import audit_events, scheduling
from ..models import Assignment, TrainingRequirement
from ..selectors.assignments import audience_user_ids, local_date, local_today
from ..signals import assignments_created
from .notifications import queue_completion_confirmations


class ComplianceError(FledgeError):
    """An operation the rules do not allow; the message is shown as is."""


@dataclass
class SyncResult:
    created: int = 0
    credited: int = 0
    renewals: int = 0
    closed: int = 0
    reopened: int = 0
    rescheduled: int = 0
    requirements: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.created} assigned ({self.credited} credited with an earlier completion), "
            f"{self.renewals} renewals opened, {self.closed} closed, {self.reopened} reopened, "
            f"{self.rescheduled} rescheduled"
        )


#: Ids per ``… WHERE id IN (…)`` at most (fewer where the database allows fewer
#: parameters: SQLite's 999).
ID_BATCH = 10_000


def _id_batches(ids: list[int]) -> Iterator[list[int]]:
    """``ids`` in slices that fit one statement, with room for its other parameters."""
    limit = connection.features.max_query_params  # None: no limit (PostgreSQL)
    size = ID_BATCH if limit is None else min(ID_BATCH, limit - 10)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _update_ids(ids: list[int], **values) -> int:
    """One ``UPDATE … WHERE id IN (…)`` per batch of ``ids``; the rows updated."""
    return sum(
        Assignment.objects.filter(pk__in=batch).update(**values) for batch in _id_batches(ids)
    )


def _latest_completions(course_id: int, user_ids: list[int]) -> dict[int, datetime]:
    """When each of these people last completed the course (those who have), one
    grouped query per batch of ids."""
    found = {}
    for batch in _id_batches(user_ids):
        rows = (
            Enrollment.objects.filter(
                course_id=course_id, user_id__in=batch, status=Enrollment.Status.COMPLETED
            )
            .values("user_id")
            .annotate(last=Max("completed_at"))
            .values_list("user_id", "last")
        )
        found.update((user_id, last) for user_id, last in rows if last)
    return found


class Latest(NamedTuple):
    """A person's latest cycle of a requirement, as the sync reads it: plain values."""

    pk: int
    user_id: int
    cycle: int
    completed_on: date | None
    closed_on: date | None
    expires_on: date | None


def _latest_cycles(requirement: TrainingRequirement) -> list[Latest]:
    """Each person's latest cycle of ``requirement`` (the one with no later cycle), in
    one query of plain values: no model instances, and only the columns the rules
    read."""
    later = Assignment.objects.filter(
        requirement=OuterRef("requirement"), user=OuterRef("user"), cycle__gt=OuterRef("cycle")
    )
    rows = (
        Assignment.objects.filter(requirement=requirement)
        .exclude(Exists(later))
        .order_by()
        .values_list(*Latest._fields)
    )
    return [Latest(*row) for row in rows]


def _renewals(
    requirement: TrainingRequirement, rule: scheduling.Rule, due: list[Latest], *, today: date
) -> list[Assignment]:
    """The next cycles of these completed ones, each opening ``window_days`` before the
    expiry it renews and carrying over its exemption (read for them alone, one query
    per batch)."""
    exemptions = {}
    for batch in _id_batches([row.pk for row in due]):
        exemptions.update(
            (pk, rest)
            for pk, *rest in Assignment.objects.filter(pk__in=batch).values_list(
                "pk", "exempt", "exempted_on", "exemption_reason", "exempted_by_id"
            )
        )
    renewals = []
    for row in due:
        exempt, exempted_on, exemption_reason, exempted_by_id = exemptions[row.pk]
        renewals.append(
            Assignment(
                requirement=requirement,
                user_id=row.user_id,
                cycle=row.cycle + 1,
                assigned_on=today,
                opens_on=scheduling.opens_on(rule, row.expires_on),
                due_on=row.expires_on,
                previous_expires_on=row.expires_on,
                exempt=exempt,
                exempted_on=exempted_on,
                exemption_reason=exemption_reason,
                exempted_by_id=exempted_by_id,
            )
        )
    return renewals


@transaction.atomic
def assignments_sync_requirement(
    requirement: TrainingRequirement, *, as_of: date | None = None
) -> SyncResult:
    """Bring one requirement's assignments in step with its audience on ``as_of``.

    - newcomers get their first cycle (credited when they completed the course within
      one recurrence before, or ever for one-off training);
    - people who left the audience have their open cycle closed as no longer required
      (history is kept), and reopened if they come back;
    - a completed cycle's renewal is created once its window opens;
    - open first cycles follow an edited rule (their due date is recomputed from
      their assignment date).
    Running it again on the same day changes nothing.

    Set-based: two reads of plain values (the audience's ids; each person's latest
    cycle), the rules applied over those tuples, then each kind of change written as one
    bulk insert or one ``UPDATE … WHERE id IN (…)`` (per batch of ids). A sync that
    changes nothing is three queries (with the rescheduling check), however large the
    audience.
    """
    today = local_today(as_of=as_of)
    result = SyncResult(requirements=[requirement.name])
    if not requirement.active:
        return result
    rule = requirement.rule
    audience = audience_user_ids(requirement=requirement)
    latest = _latest_cycles(requirement)

    newcomers = sorted(audience.difference(row.user_id for row in latest))
    completions = _latest_completions(requirement.course_id, newcomers) if newcomers else {}
    first_due = scheduling.first_due(rule, today)
    new_rows = []
    for user_id in newcomers:
        row = Assignment(
            requirement=requirement,
            user_id=user_id,
            cycle=1,
            assigned_on=today,
            opens_on=today,
            due_on=first_due,
        )
        completed_at = completions.get(user_id)
        if completed_at and scheduling.credits_prior_completion(
            rule, completed_on=local_date(moment=completed_at), assigned_on=today
        ):
            _mark_complete(row, rule, completed_at)
            result.credited += 1
        new_rows.append(row)
    Assignment.objects.bulk_create(new_rows)
    result.created = len(new_rows)
    audit_events.assignments_changed(requirement, "create", [row.pk for row in new_rows])

    # Decided over the tuples read before the inserts: this run's newcomers are not
    # also renewed.
    leaving = [
        row.pk
        for row in latest
        if row.user_id not in audience and row.completed_on is None and row.closed_on is None
    ]
    returning = [
        row.pk
        for row in latest
        if row.user_id in audience and row.closed_on is not None and row.completed_on is None
    ]
    due = [
        row
        for row in latest
        if row.user_id in audience
        and row.completed_on is not None
        and row.expires_on is not None
        and scheduling.opens_on(rule, row.expires_on) <= today
    ]
    renewals = _renewals(requirement, rule, due, today=today) if due else []
    result.closed = _update_ids(leaving, closed_on=today)
    audit_events.assignments_changed(requirement, "close", leaving)
    result.reopened = _update_ids(returning, closed_on=None)
    audit_events.assignments_changed(requirement, "reopen", returning)

    result.rescheduled = _reschedule_open_first_cycles(requirement, rule)

    Assignment.objects.bulk_create(renewals, ignore_conflicts=True)
    result.renewals = len(renewals)
    people = audit_events.renewals_for(row.user_id for row in renewals)
    audit_events.assignments_changed(requirement, "create", [], renewals_for=people)
    assignments_created.send(sender=Assignment, requirement=requirement, rows=new_rows + renewals)
    return result


def _reschedule_open_first_cycles(requirement: TrainingRequirement, rule) -> int:
    """Move the due dates of open first cycles to what an edited rule gives for their
    assignment date (completed cycles and renewals keep theirs), recording which moved
    and from when to when. One query of the distinct (assignment date, due date) pairs;
    when some need it: their ids, read under a row lock so a completion at the same
    moment waits, then one update per distinct pair (per batch of ids)."""
    open_rows = Assignment.objects.filter(
        requirement=requirement, cycle=1, completed_on__isnull=True, closed_on__isnull=True
    )
    changes = {}
    for assigned_on, due_on in open_rows.values_list("assigned_on", "due_on").order_by().distinct():
        due = scheduling.first_due(rule, assigned_on)
        if due != due_on:
            changes[assigned_on, due_on] = due
    if not changes:
        return 0
    stale = Q()
    for assigned_on, due_on in changes:
        stale |= Q(assigned_on=assigned_on, due_on=due_on)
    rows = open_rows.filter(stale).select_for_update().order_by("pk")
    ids: dict[tuple[date, date], list[int]] = defaultdict(list)
    for pk, assigned_on, due_on in rows.values_list("pk", "assigned_on", "due_on"):
        ids[assigned_on, due_on].append(pk)
    moves = []
    for (assigned_on, due_on), pks in ids.items():
        due = changes[assigned_on, due_on]
        _update_ids(pks, due_on=due)
        moves += [(pk, due_on, due) for pk in pks]
    audit_events.assignments_rescheduled(requirement, moves)
    return len(moves)


def assignments_sync(
    *, requirement: TrainingRequirement | None = None, as_of: date | None = None
) -> SyncResult:
    """Sync one requirement, or every active one (the daily job)."""
    total = SyncResult()
    requirements = [requirement] if requirement else TrainingRequirement.objects.filter(active=True)
    for each in requirements:
        one = assignments_sync_requirement(each, as_of=as_of)
        for name in ("created", "credited", "renewals", "closed", "reopened", "rescheduled"):
            setattr(total, name, getattr(total, name) + getattr(one, name))
        total.requirements.extend(one.requirements)
    return total


def requirements_request_sync(*, requirement_ids: Iterable[int]) -> list[int]:
    """Record, in the caller's transaction, that these requirements need a sync; return
    their ids. The caller hands each to a worker once it commits; the sweep
    (:func:`requirements_sync_requested`) syncs any whose hand-over was lost."""
    ids = sorted(set(requirement_ids))
    if ids:
        TrainingRequirement.objects.filter(pk__in=ids).update(sync_requested_at=timezone.now())
    return ids


def requirement_sync_requested(
    *, requirement_id: int, as_of: date | None = None
) -> SyncResult | None:
    """Run a requested sync of one requirement (None when it is gone), then clear the
    request, unless a newer one arrived while it ran (that one is synced again)."""
    requirement = TrainingRequirement.objects.filter(pk=requirement_id).first()
    if requirement is None:
        return None
    requested = requirement.sync_requested_at
    result = assignments_sync_requirement(requirement, as_of=as_of)
    if requested is not None:
        TrainingRequirement.objects.filter(pk=requirement_id, sync_requested_at=requested).update(
            sync_requested_at=None
        )
    return result


def requirements_sync_requested(*, as_of: date | None = None) -> int:
    """The sweep: sync every requirement with a request pending; return how many."""
    ids = list(
        TrainingRequirement.objects.filter(sync_requested_at__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for requirement_id in ids:
        requirement_sync_requested(requirement_id=requirement_id, as_of=as_of)
    return len(ids)


def _mark_complete(row: Assignment, rule: scheduling.Rule, completed_at: datetime) -> None:
    row.completed_at = completed_at
    row.completed_on = local_date(moment=completed_at)
    row.expires_on = scheduling.expires_on(
        rule,
        due=row.due_on,
        completed_on=row.completed_on,
        previous_expires=row.previous_expires_on,
    )


@transaction.atomic
def assignments_close_for_person(*, user: AbstractBaseUser, as_of: date | None = None) -> int:
    """Close every open cycle of a person who may no longer sign in (deactivated, by
    the directory or an administrator) as no longer required from ``as_of``: the same
    ``closed_on`` as leaving the audience, so reports, reminders and history treat it
    alike. Nothing is deleted. An inactive person is in no audience, so the daily sync
    keeps them closed, and reopens them once the person is active again. Returns how
    many were closed."""
    today = local_today(as_of=as_of)
    open_rows = Assignment.objects.filter(
        user=user, completed_on__isnull=True, closed_on__isnull=True
    )
    ids = list(open_rows.values_list("pk", flat=True))
    audit_events.person_closed(user, ids)
    return Assignment.objects.filter(pk__in=ids).update(closed_on=today)


# No savepoint of its own inside the completion's transaction: nothing here is retried,
# so a failure fails the completion, as it must.
#: Compiled once (``base.prepared``): every course completion reads it.
_open_cycles_to_credit = PreparedQuery(
    lambda user, course, day: (
        Assignment.objects.select_for_update(of=("self",))
        .filter(
            user_id=user,
            requirement__course_id=course,
            requirement__active=True,
            completed_on__isnull=True,
            closed_on__isnull=True,
            opens_on__lte=day,
        )
        .select_related("requirement")
        .order_by("pk")
    ),  # a fixed order to lock in, without joining for the default one
    user=Marker.number(),
    course=Marker.number(),
    day=Marker.day(),
)


@transaction.atomic(savepoint=False)
def assignments_complete_for(*, enrollment: Enrollment) -> list[Assignment]:
    """Credit a course completion to every open cycle it satisfies: the user's open
    assignments on active requirements for that course whose window has opened.
    Late completions are kept as late (completed after the due date). A completion
    confirmation is queued for each. Three statements for one cycle: the rows (locked,
    without their requirements), their update and the confirmations."""
    completed_at = enrollment.completed_at or timezone.now()
    completed_on = local_date(moment=completed_at)
    rows = _open_cycles_to_credit(
        user=enrollment.user_id, course=enrollment.course_id, day=completed_on
    )
    for row in rows:
        _mark_complete(row, row.requirement.rule, completed_at)
        row.enrollment = enrollment
        row.save(update_fields=["completed_at", "completed_on", "expires_on", "enrollment"])
    # For completion_expiry (the certificate, next in the same signal), without a read.
    enrollment.credited_cycles = [*getattr(enrollment, "credited_cycles", ()), *rows]
    queue_completion_confirmations(rows)
    return rows


@transaction.atomic
def assignment_exempt(
    *, assignment: Assignment, by: AbstractBaseUser, reason: str, as_of: date | None = None
) -> Assignment:
    """Exempt a person from a requirement's current cycle (and, through the sync, its
    renewals), recording why and by whom. Asking again with the same reason (a double
    submit, a retried request) changes and records nothing."""
    reason = reason.strip()
    if not reason:
        raise ComplianceError("Give a reason for the exemption.")
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.exempt and assignment.exemption_reason == reason[:2000]:
        return assignment
    assignment.exempt = True
    assignment.exempted_on = local_today(as_of=as_of)
    assignment.exemption_reason = reason[:2000]
    assignment.exempted_by = by
    assignment.save()
    audit_events.exemption_changed(assignment, by=by)
    return assignment


@transaction.atomic
def assignment_unexempt(
    *, assignment: Assignment, by: AbstractBaseUser | None = None
) -> Assignment:
    """Lift an exemption: the cycle is due again on its due date (``by``: who lifted
    it, for the audit trail). Lifting one already lifted changes and records nothing."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not assignment.exempt:
        return assignment
    assignment.exempt = False
    assignment.exempted_on = None
    assignment.exemption_reason = ""
    assignment.exempted_by = None
    assignment.save()
    audit_events.exemption_changed(assignment, by=by)
    return assignment


__all__ = [
    "ComplianceError",
    "SyncResult",
    "assignment_exempt",
    "assignment_unexempt",
    "assignments_close_for_person",
    "assignments_complete_for",
    "assignments_sync",
    "assignments_sync_requirement",
    "requirement_sync_requested",
    "requirements_request_sync",
    "requirements_sync_requested",
]
