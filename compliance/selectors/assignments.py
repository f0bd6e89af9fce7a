"""Reads of assignments shared by the dashboard, the reports and the services: the site's
calendar date, a requirement's audience, current cycles and their statuses.

A person's status on a requirement comes from their *current cycle*: the latest cycle
open by ``as_of`` (and assigned by then, and not closed by then). Every date
comparison takes ``as_of``, so the same queries answer "who was compliant on 1 March?"
from the stored history.
"""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from base.prepared import Marker, PreparedQuery
from learner.models import Enrollment

from ..models import Assignment, TrainingRequirement
from ..scheduling import URGENCY, Attempt, Status, cycle_status, in_progress


def local_today(*, as_of: date | None = None) -> date:
    """``as_of``, or today in the site's time zone."""
    return as_of or timezone.localdate()


def local_date(*, moment: datetime) -> date:
    """The calendar date of an aware datetime in the site's time zone."""
    return timezone.localtime(moment).date()


def audience_user_ids(*, requirement: TrainingRequirement) -> set[int]:
    """Active users in the requirement's groups or named individually (one query)."""
    return set(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(groups__in=requirement.audience_groups.all()) | Q(individual_requirements=requirement)
        )
        .values_list("pk", flat=True)
        .distinct()
    )


def requirement_ids_for_person(*, user) -> list[int]:
    """The active requirements whose audience names the person (by group or by name) or
    that have assigned them before: those a change to the person may affect."""
    return list(
        TrainingRequirement.objects.filter(active=True)
        .filter(Q(audience_groups__user=user) | Q(audience_users=user) | Q(assignments__user=user))
        .values_list("pk", flat=True)
        .distinct()
    )


def current_cycles(*, as_of: date, queryset: QuerySet[Assignment] | None = None):
    """One row per person and requirement: their current cycle on ``as_of``."""
    queryset = queryset if queryset is not None else Assignment.objects.all()
    later = Assignment.objects.filter(
        user=OuterRef("user"),
        requirement=OuterRef("requirement"),
        cycle__gt=OuterRef("cycle"),
        opens_on__lte=as_of,
        assigned_on__lte=as_of,
    )
    return (
        queryset.filter(assigned_on__lte=as_of, opens_on__lte=as_of)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=as_of))
        .exclude(Exists(later))
    )


def local_day_start(*, day: date) -> datetime:
    """The first moment of ``day`` in the site's time zone: a moment falls on ``day`` or
    later exactly when it is at or after this one."""
    return timezone.make_aware(datetime.combine(day, time()))


def in_progress_condition(*, as_of: date, opens_on, prefix: str = "") -> Q:
    """The rule of :func:`in_progress_enrollments` as a condition on an enrolment,
    reached through ``prefix`` ("" in a query over enrolments, ``"user__enrollments__"``
    in one over assignments).

    "By ``as_of``" compares the moment with the first moment of the next day rather
    than taking its date (``__date``): the same answer, but the database compares the
    stored values as they are instead of converting each to the site's time zone, which
    SQLite does by calling back into Python for every enrolment row it reads. Only
    "started on or after the day the cycle opened" compares with a column of the
    assignment, so it keeps ``__date``; it comes last (SQLite tests in order), and is
    reached only for enrolments completed by ``as_of``.
    """
    next_day = local_day_start(day=as_of + timedelta(days=1))

    def enrollment(**lookups) -> Q:
        return Q(**{prefix + lookup: value for lookup, value in lookups.items()})

    return (
        enrollment(activated_at__lt=next_day)
        & (enrollment(ended_at__isnull=True) | enrollment(ended_at__gte=next_day))
        & (
            enrollment(completed_at__isnull=True)
            | enrollment(completed_at__gte=next_day)
            | enrollment(activated_at__date__gte=opens_on)
        )
    )


def in_progress_enrollments(*, as_of: date, opens_on) -> QuerySet[Enrollment]:
    """The enrolments that make a cycle's person in progress on ``as_of``, for an
    ``Exists`` inside a query over assignments (``opens_on`` is usually
    ``OuterRef("opens_on")``): the SQL twin of
    :meth:`compliance.scheduling.Attempt.works_on`. Started by ``as_of``, not withdrawn
    or rejected by then, and either not completed by then or started on or after the day
    the cycle opened. Dates are the site's calendar dates, as :func:`attempt_of` reads
    them (see :func:`in_progress_condition`)."""
    return Enrollment.objects.filter(
        user=OuterRef("user"), course=OuterRef("requirement__course")
    ).filter(in_progress_condition(as_of=as_of, opens_on=opens_on))


def attempt_of(*, activated_at, completed_at, ended_at) -> Attempt:
    """An enrolment's moments as the site's calendar dates."""

    def day(moment):
        return timezone.localtime(moment).date() if moment is not None else None

    return Attempt(
        started_on=day(activated_at), completed_on=day(completed_at), ended_on=day(ended_at)
    )


def certification_expiry_expression(*, as_of: date) -> Case:
    """SQL for :meth:`compliance.models.Assignment.certification_expires` on ``as_of``:
    the last day the person's certification counts."""
    return Case(
        When(
            completed_on__isnull=False,
            completed_on__lte=as_of,
            then=F("expires_on"),
        ),
        default=F("previous_expires_on"),
        output_field=DateField(),
    )


def status_expression(*, as_of: date, requirements=None, started=None) -> Case:
    """SQL for :func:`compliance.scheduling.cycle_status` on ``as_of``.

    "Due soon" depends on each requirement's largest reminder day, so the expression
    has one branch per span of days, naming the requirements with that span (a few
    branches, however many requirements). ``started`` says whether the person is in
    progress (by default, ``Exists`` of :func:`in_progress_enrollments`).
    """
    requirements = requirements if requirements is not None else TrainingRequirement.objects.all()
    if started is None:
        started = Exists(in_progress_enrollments(as_of=as_of, opens_on=OuterRef("opens_on")))
    by_span: dict[int, list[int]] = {}
    for requirement in requirements:
        by_span.setdefault(requirement.rule.due_soon_days, []).append(requirement.pk)
    due_soon = [
        When(
            requirement_id__in=ids,
            due_on__lte=as_of + timedelta(days=days),
            then=Value(Status.DUE_SOON.value),
        )
        for days, ids in by_span.items()
    ]
    done = Q(completed_on__isnull=False, completed_on__lte=as_of)
    return Case(
        When(exempt=True, exempted_on__lte=as_of, then=Value(Status.EXEMPT.value)),
        When(
            done & (Q(expires_on__isnull=True) | Q(expires_on__gte=as_of)),
            then=Value(Status.COMPLIANT.value),
        ),
        When(done, then=Value(Status.EXPIRED.value)),
        When(previous_expires_on__gte=as_of, then=Value(Status.COMPLIANT.value)),
        When(previous_expires_on__isnull=False, then=Value(Status.EXPIRED.value)),
        When(due_on__lt=as_of, then=Value(Status.OVERDUE.value)),
        *due_soon,
        When(started, then=Value(Status.IN_PROGRESS.value)),
        default=Value(Status.NOT_STARTED.value),
        output_field=CharField(),
    )


def statuses(*, as_of: date, queryset: QuerySet[Assignment] | None = None):
    """Current cycles on ``as_of`` of active requirements, annotated with ``status``
    and ``certification_expires_on`` (the expiry that reports and exports show)."""
    requirements = list(TrainingRequirement.objects.filter(active=True))
    rows = current_cycles(as_of=as_of, queryset=queryset).filter(requirement__in=requirements)
    return rows.annotate(
        status=status_expression(as_of=as_of, requirements=requirements),
        certification_expires_on=certification_expiry_expression(as_of=as_of),
    )


#: The two queries of :func:`learner_requirements`, compiled once (``base.prepared``):
#: compiling them cost more than running them, on every dashboard view. They take only
#: the user, so the dates and courses are filtered in Python, over one person's rows.
_learner_cycles = PreparedQuery(
    lambda user_id: (
        Assignment.objects.filter(user_id=user_id, requirement__active=True)
        .select_related("requirement")
        .order_by("requirement_id", "cycle")
    ),
    user_id=Marker.number(),
)
_learner_enrollments = PreparedQuery(
    lambda user_id: Enrollment.objects.filter(user_id=user_id).values_list(
        "course_id", "activated_at", "completed_at", "ended_at", "status"
    ),
    user_id=Marker.number(),
)


def learner_requirements(*, user, as_of: date) -> list[Assignment]:
    """A learner's required training on ``as_of``, most urgent first, then by due date.

    The same answer as :func:`statuses` for one person, worked out in Python from two
    small queries (their cycles and their enrolments): for one person that is much
    cheaper than building and compiling the report's SQL, and this runs on every
    dashboard view. Each row also says whether the learner has an active enrolment in
    the course now (``enrolled_now``), or one waiting for approval or a place
    (``enrollment_waiting``).
    """
    current: dict[int, Assignment] = {}
    for row in _learner_cycles(user_id=user.pk):
        if row.assigned_on <= as_of and row.opens_on <= as_of:
            current[row.requirement_id] = row  # the latest cycle open by as_of wins
    rows = [row for row in current.values() if row.closed_on is None or row.closed_on > as_of]
    if not rows:
        return []
    courses = {row.requirement.course_id for row in rows}
    attempts: dict[int, list[Attempt]] = {}
    active_courses = set()
    waiting: dict[int, str] = {}
    for course_id, activated_at, completed_at, ended_at, status in _learner_enrollments(
        user_id=user.pk
    ):
        if course_id not in courses:
            continue
        if status == Enrollment.Status.ACTIVE:
            active_courses.add(course_id)
        elif status in (Enrollment.Status.PENDING, Enrollment.Status.WAITLISTED):
            waiting[course_id] = status
        attempts.setdefault(course_id, []).append(
            attempt_of(activated_at=activated_at, completed_at=completed_at, ended_at=ended_at)
        )
    for row in rows:
        course_id = row.requirement.course_id
        #: Whether the learner is enrolled in the course now (the dashboard's "Continue").
        row.enrolled_now = course_id in active_courses
        #: "pending" (a request awaiting approval) or "waitlisted", else "".
        row.enrollment_waiting = waiting.get(course_id, "")
        row.status = cycle_status(
            row.requirement.rule,
            as_of=as_of,
            due=row.due_on,
            completed_on=row.completed_on,
            expires=row.expires_on,
            previous_expires=row.previous_expires_on,
            started=in_progress(attempts.get(course_id, ()), opens_on=row.opens_on, as_of=as_of),
            exempt=row.exempt and row.exempted_on is not None and row.exempted_on <= as_of,
        ).value
        row.certification_expires_on = row.certification_expires(as_of)
    rows.sort(key=lambda row: (URGENCY[Status(row.status)], row.due_on))
    return rows


def status_counts(
    *,
    as_of: date,
    queryset: QuerySet[Assignment] | None = None,
    requirements: list[TrainingRequirement] | None = None,
) -> dict[int, dict[str, int]]:
    """How many people are in each status on ``as_of``, per requirement, in one query:
    ``{requirement_id: {"assigned": n, "compliant": n, "overdue": n, …}}`` with a key
    for every :class:`Status`. Only active requirements with someone assigned appear.
    ``queryset`` narrows the assignments counted (a manager's people, one group…);
    ``requirements`` are the active requirements when the caller has read them (else
    one more query reads them).

    The query groups by requirement *and status*, so the database works out each row's
    status once; a filtered count per status would repeat the whole status expression
    once per status.

    On PostgreSQL, whether someone is in progress comes from a LEFT JOIN of their
    qualifying enrolments (counting each assignment once), not from the ``Exists`` that
    :func:`statuses` uses: PostgreSQL runs a subquery inside CASE once per row and
    prices it so, and that price made it compile the query to machine code (JIT) before
    running it, about half a second whatever the data, where the join is planned as one
    pass. SQLite runs the subquery only for the rows that reach that branch (people not
    yet otherwise placed), which is cheaper there than joining every row.
    """
    if requirements is None:
        requirements = list(TrainingRequirement.objects.filter(active=True))
    cycles = current_cycles(as_of=as_of, queryset=queryset).filter(requirement__in=requirements)
    joined = connections[cycles.db].vendor == "postgresql"
    started = None
    if joined:
        cycles = cycles.alias(
            started_enrollment=FilteredRelation(
                "user__enrollments",
                condition=Q(user__enrollments__course=F("requirement__course"))
                & in_progress_condition(
                    as_of=as_of, opens_on=F("opens_on"), prefix="user__enrollments__"
                ),
            )
        )
        started = Q(started_enrollment__isnull=False)
    rows = (
        cycles.annotate(
            status=status_expression(as_of=as_of, requirements=requirements, started=started)
        )
        .order_by()
        .values("requirement_id", "status")
        .annotate(n=Count("pk", distinct=joined))
    )
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        counts = result.setdefault(
            row["requirement_id"], {"assigned": 0, **{status.value: 0 for status in Status}}
        )
        counts[row["status"]] += row["n"]
        counts["assigned"] += row["n"]
    return result


def completion_expiry(*, enrollment) -> date | None:
    """The last day a completion counts for required training: the latest expiry of the
    cycles this enrolment completed (None when it completed none that expire).

    An enrolment just credited by :func:`~compliance.services.assignments_complete_for`
    (on ``course_completed``, in the transaction that completes it) carries the cycles
    it credited as ``credited_cycles``, and they answer without a query: that service
    is the only one that links a cycle to an enrolment, and the signal is sent once.
    """
    credited = getattr(enrollment, "credited_cycles", None)
    if credited is not None:
        return max((row.expires_on for row in credited if row.expires_on), default=None)
    return (
        Assignment.objects.filter(enrollment=enrollment, expires_on__isnull=False)
        .order_by("-expires_on")
        .values_list("expires_on", flat=True)
        .first()
    )
