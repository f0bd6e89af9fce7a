"""The reminder and overdue messages due on a day, as one queryset over assignments.

The database twin of :func:`compliance.scheduling.reminder_step` and
:func:`compliance.scheduling.overdue_step`, so the daily job queues its messages in one
statement however many assignments are open (``queue_reminders``). Each open assignment
gives at most one row, its latest step, so a job that missed days never sends a burst:

- **overdue** (``as_of`` after the due date): step ``(days over - 1) // every`` (0 on the
  first overdue day, or always 0 when ``overdue_every_days`` is 0), copied to the
  manager when the person has one;
- **before due** (up to and including the due day): the smallest of the requirement's
  reminder days not below the days left; none when the due date is further away than
  its largest reminder day.

The reminder days are text on the requirement ("14, 7, 1"), parsed here in Python as
the scheduling rule parses them, so a day's test ``days left ≤ d`` becomes a plain
date comparison, ``due_on ≤ as_of + d``; only the overdue step needs the vendor's own
date arithmetic (:class:`DaysBetween`).
"""

from collections import defaultdict
from datetime import date, timedelta

from django.db import NotSupportedError
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)

from ..models import (
    AWAITING_COMPLETION,
    Assignment,
    NotificationLog,
    TrainingRequirement,
    parse_reminder_days,
)

Kind = NotificationLog.Kind

#: The columns of :func:`due_reminder_steps`, named as the log's.
DUE_STEP_COLUMNS = ("assignment_id", "recipient_id", "kind", "step", "cc_manager")


class DaysBetween(Func):
    """Whole days from the second date to the first, ``(later - earlier).days``.

    Django has no portable difference of dates in days (subtracting ``DateField``\\s
    gives a duration, computed by a Python function per row on SQLite), so each
    supported vendor's own arithmetic is spelled here: ``julianday`` on SQLite, ``date -
    date`` (an integer) on PostgreSQL.
    """

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"DaysBetween has no SQL for {connection.vendor}.")

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra_context,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="(CAST(%(expressions)s AS date))",
            arg_joiner=" AS date) - CAST(",
            **extra_context,
        )


def _reminder_days_by_requirement() -> dict[tuple[int, ...], list[int]]:
    """Active requirements grouped by their reminder days (parsed, largest first)."""
    groups: dict[tuple[int, ...], list[int]] = defaultdict(list)
    rows = TrainingRequirement.objects.filter(active=True).order_by("pk")
    for pk, text in rows.values_list("pk", "reminder_days"):
        days = parse_reminder_days(text)
        if days:
            groups[days].append(pk)
    return groups


def due_reminder_steps(*, as_of: date) -> QuerySet:
    """One row per message due on ``as_of``: ``assignment_id``, ``recipient_id``,
    ``kind``, ``step`` and ``cc_manager`` (:data:`DUE_STEP_COLUMNS`), unordered.

    Open cycles only (``AWAITING_COMPLETION``, opened and assigned by ``as_of``). One
    query for the requirements' reminder days; the queryset itself is one more.
    """
    overdue = Q(due_on__lt=as_of)
    steps = [
        When(overdue, requirement__overdue_every_days=0, then=Value(0)),
        When(
            overdue,
            then=(DaysBetween(Value(as_of), F("due_on")) - 1)
            / F("requirement__overdue_every_days"),
        ),
    ]
    before_due = Q()
    latest = -1
    for days, requirement_ids in _reminder_days_by_requirement().items():
        # Smallest day first: CASE takes the first match, the smallest day reached.
        steps.extend(
            When(
                requirement_id__in=requirement_ids,
                due_on__lte=as_of + timedelta(days=day),
                then=Value(day),
            )
            for day in sorted(days)
        )
        before_due |= Q(
            requirement_id__in=requirement_ids, due_on__lte=as_of + timedelta(days=days[0])
        )
        latest = max(latest, days[0])
    return (
        Assignment.objects.filter(
            AWAITING_COMPLETION,
            opens_on__lte=as_of,
            assigned_on__lte=as_of,
            # Redundant with the line below, but a range the due-date index can serve.
            due_on__lte=as_of + timedelta(days=max(latest, 0)),
        )
        .filter(overdue | before_due)
        .order_by()
        .values(
            assignment_id=F("pk"),
            recipient_id=F("user_id"),
            kind=Case(
                When(overdue, then=Value(Kind.OVERDUE.value)),
                default=Value(Kind.BEFORE_DUE.value),
                output_field=CharField(),
            ),
            step=Case(*steps, output_field=IntegerField()),
            cc_manager=Case(
                When(overdue, user__profile__manager__isnull=False, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
    )
