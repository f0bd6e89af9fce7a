"""Compliance's part of a person's data download and evidence pack (records.hooks):
every cycle of their required training with its dates, status and history, their
exemptions (who and why) and the reminders and escalations sent about them."""

from base.people import person_name

from . import selectors
from .models import Assignment, CalendarFeed, NotificationLog, TrainingRequirement
from .scheduling import Status


def evidence_scope(requirement_id: int) -> dict | None:
    """What an evidence pack for one requirement covers: the requirement and its course."""
    requirement = TrainingRequirement.objects.filter(pk=requirement_id).first()
    if requirement is None:
        return None
    return {
        "requirement_id": requirement.pk,
        "requirement_name": requirement.name,
        "course_ids": (requirement.course_id,),
    }


def _cycles(person, scope=None):
    rows = Assignment.objects.filter(user=person).select_related(
        "requirement__course", "exempted_by"
    )
    if scope is not None and not scope.everything:
        rows = rows.filter(requirement_id=scope.requirement_id)
    return rows.order_by("requirement__name", "requirement_id", "cycle")


def _history(row: Assignment) -> list[dict]:
    """The cycle's dated events, oldest first, from its own dates."""
    events = [
        (row.assigned_on, "assigned"),
        (row.opens_on, "opens"),
        (row.due_on, "due"),
        (row.exempted_on, "exempted"),
        (row.completed_on, "completed late" if row.is_late() else "completed"),
        (row.closed_on, "closed (no longer required)"),
        (row.expires_on, "expires"),
    ]
    dated = sorted((e for e in events if e[0]), key=lambda e: e[0])  # ties keep their order
    return [{"on": day, "event": event} for day, event in dated]


def _cycle_row(row: Assignment, current: dict[int, str]) -> dict:
    status = current.get(row.pk)
    return {
        "object": f"compliance.assignment:{row.pk}",
        "id": row.pk,
        "requirement_id": row.requirement_id,
        "requirement": row.requirement.name,
        "course_id": row.requirement.course_id,
        "course": row.requirement.course.title,
        "rule": row.requirement.describe_rule(),
        "cycle": row.cycle,
        "assigned_on": row.assigned_on,
        "opens_on": row.opens_on,
        "due_on": row.due_on,
        "completed_at": row.completed_at,
        "completed_on": row.completed_on,
        "expires_on": row.expires_on,
        "previous_expires_on": row.previous_expires_on,
        "completed_by_enrolment": row.enrollment_id,
        "exempt": row.exempt,
        "closed_on": row.closed_on,
        "status_today": Status(status).label if status else "Past cycle",
        "history": _history(row),
    }


def _current_statuses(person) -> dict[int, str]:
    """Each current cycle's status today, as the report shows it."""
    today = selectors.local_today()
    rows = selectors.statuses(as_of=today, queryset=Assignment.objects.filter(user=person))
    return dict(rows.values_list("pk", "status"))


def _exemption_row(row: Assignment) -> dict:
    return {
        "object": f"compliance.assignment:{row.pk}",
        "requirement": row.requirement.name,
        "cycle": row.cycle,
        "exempted_on": row.exempted_on,
        "by": person_name(row.exempted_by) if row.exempted_by else "",
        "reason": row.exemption_reason,
    }


def _reminder_rows(person, scope=None) -> list[dict]:
    rows = (
        NotificationLog.objects.filter(assignment__user=person, sent_at__isnull=False)
        .select_related("assignment__requirement")
        .order_by("sent_at", "pk")
    )
    if scope is not None and not scope.everything:
        rows = rows.filter(assignment__requirement_id=scope.requirement_id)
    return [
        {
            "object": f"compliance.assignment:{row.assignment_id}",
            "kind": row.get_kind_display(),
            "step": row.step,
            "requirement": row.assignment.requirement.name,
            "cycle": row.assignment.cycle,
            "sent_at": row.sent_at,
            "manager_copied": row.cc_manager,
        }
        for row in rows
    ]


def export_person(person) -> dict:
    """Every cycle, exemption and message about ``person``'s required training, the
    digests sent to them as a manager, and whether they have a calendar feed."""
    current = _current_statuses(person)
    cycles = list(_cycles(person))
    digests = NotificationLog.objects.filter(recipient=person, assignment__isnull=True)
    return {
        "compliance/assignments": [_cycle_row(row, current) for row in cycles],
        "compliance/exemptions": [_exemption_row(row) for row in cycles if row.exempt],
        "compliance/reminders": _reminder_rows(person),
        "compliance/manager_digests": list(
            digests.order_by("created_at").values("kind", "created_at", "sent_at")
        ),
        "compliance/calendar_feed": {
            "has_feed": CalendarFeed.objects.filter(user=person).exists(),
        },
    }


def person_evidence(person, *, scope) -> dict:
    """The cycles, exemptions and reminders of ``person`` within ``scope``."""
    current = _current_statuses(person)
    cycles = list(_cycles(person, scope))
    return {
        "assignments": [_cycle_row(row, current) for row in cycles],
        "exemptions": [_exemption_row(row) for row in cycles if row.exempt],
        "reminders": _reminder_rows(person, scope),
    }
