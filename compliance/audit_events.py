"""The compliance app's entries in the audit trail, written by its services inside the
transaction of the change they record.

The sync changes many assignments at once, so it writes one entry per requirement and
kind of change, listing the assignments (or, for renewals, whose ids the insert does
not return, the people's pseudonyms). Payloads carry ids and dates only: an exemption's
reason, or a material change's note, is in the hashed payload as a keyed digest, and in
Wagtail's history as text.
"""

import json
from collections.abc import Iterable
from datetime import date

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model

from wagtail.log_actions import get_active_log_context

import audit
from audit.models import AuditEntry

from .models import Assignment, NotificationLog, TrainingRequirement


def assignments_changed(
    requirement: TrainingRequirement, action: str, assignment_ids: Iterable[int], **extra
) -> None:
    """Assignments of ``requirement`` created, closed or reopened by the sync
    (``fledge.assignment.<action>``); nothing when there are none."""
    ids = sorted(assignment_ids)
    if not ids and not extra.get("renewals_for"):
        return
    audit.record(
        actor=None,
        action=f"fledge.assignment.{action}",
        obj=requirement,
        payload={"requirement": requirement.pk, "assignments": ids, **extra},
    )


def assignments_rescheduled(
    requirement: TrainingRequirement, moves: Iterable[tuple[int, date, date]]
) -> None:
    """Open first cycles of ``requirement`` moved by the sync to the due date an edited
    rule gives (``fledge.assignment.reschedule``); ``moves`` holds (assignment id, old
    due date, new due date). One ``from`` and ``to`` when every cycle moved alike, else
    ``moves``, each cycle's. By whoever saved the rule (:func:`requirement_editor`), else
    the system. Nothing when none moved."""
    moves = sorted(moves)
    if not moves:
        return
    payload = {"requirement": requirement.pk, "assignments": [pk for pk, _, _ in moves]}
    if len({(old, new) for _, old, new in moves}) == 1:
        payload["from"], payload["to"] = moves[0][1], moves[0][2]
    else:
        payload["moves"] = [{"assignment": pk, "from": old, "to": new} for pk, old, new in moves]
    audit.record(
        actor=requirement_editor(requirement),
        action="fledge.assignment.reschedule",
        obj=requirement,
        payload=payload,
    )


def renewals_for(user_ids: Iterable[int]) -> list[str]:
    """The pseudonyms of the people whose renewal cycles were created."""
    return sorted(audit.pseudonym(user_id) for user_id in user_ids)


def person_closed(user, assignment_ids: list[int]) -> None:
    """Every open cycle of a person who may no longer sign in, closed (in the person's
    history)."""
    if not assignment_ids:
        return
    audit.record(
        actor=None,
        action="fledge.assignment.close",
        obj=user,
        payload={"assignments": sorted(assignment_ids), "reason": "deactivated"},
        subject=user,
    )


def exemption_changed(assignment: Assignment, *, by) -> None:
    """An exemption granted (with its reason) or lifted (``by`` is who did it)."""
    payload = {
        "requirement": assignment.requirement_id,
        "cycle": assignment.cycle,
        "exempt": assignment.exempt,
    }
    details = {}
    if assignment.exempt:
        payload["reason_digest"] = audit.text_digest(assignment.exemption_reason)
        details["reason"] = assignment.exemption_reason
    audit.record(
        actor=by,
        action="fledge.assignment.exempt" if assignment.exempt else "fledge.assignment.unexempt",
        obj=assignment,
        payload=payload,
        subject=assignment.user_id,
        details=details,
    )


#: A requirement's fields that are not its rule (or are bookkeeping).
NOT_RULE = {"id", "description", "created_at", "updated_at", "sync_requested_at"}


def requirement_rule(requirement: TrainingRequirement) -> dict:
    """What a requirement asks of whom: its fields (ids for the course), its audience's
    group ids and people's pseudonyms; read from the database, so a form's unsaved
    changes are not taken for the stored rule."""
    rule = {
        field.name: field.value_from_object(requirement)
        for field in TrainingRequirement._meta.concrete_fields
        if field.name not in NOT_RULE
    }
    rule["audience_groups"] = sorted(requirement.audience_groups.values_list("pk", flat=True))
    rule["audience_users"] = sorted(
        audit.pseudonym(pk) for pk in requirement.audience_users.values_list("pk", flat=True)
    )
    return rule


def requirement_saved(requirement: TrainingRequirement, *, by, old: dict | None) -> None:
    """A requirement created (``old`` is None), edited (its old and new rule), or
    deactivated (an edit that unticks "Active")."""
    new = requirement_rule(requirement)
    if old is None:
        action, payload = "fledge.requirement.create", {"rule": new}
    else:
        deactivated = old["active"] and not new["active"]
        action = "fledge.requirement.deactivate" if deactivated else "fledge.requirement.edit"
        payload = {"old": old, "new": new}
    audit.record(actor=by, action=action, obj=requirement, payload=payload)


#: The fields of a requirement's rule that set its due dates.
SCHEDULE_FIELDS = (
    "due_rule",
    "due_date",
    "due_days",
    "recurrence_months",
    "window_days",
    "grace_days",
    "renewal_basis",
)
#: The entries that record a rule saved in the requirement form.
RULE_SAVED = (
    "fledge.requirement.create",
    "fledge.requirement.edit",
    "fledge.requirement.deactivate",
)


def requirement_editor(requirement: TrainingRequirement) -> int | None:
    """The id of whoever saved the requirement's current due rule in its form: the actor
    of its latest create or edit entry, when the rule that entry recorded is the one
    stored now; None (the system) when there is none, or the rule was changed another
    way since (in code, by a migration)."""
    latest = (
        AuditEntry.objects.filter(
            action__in=RULE_SAVED,
            object_type=TrainingRequirement._meta.label_lower,
            object_id=str(requirement.pk),
        )
        .order_by("-sequence")
        .values_list("actor_id", "payload")
        .first()
    )
    if latest is None:
        return None
    actor_id, payload = latest
    recorded = json.loads(payload)
    saved = recorded.get("new") or recorded.get("rule") or {}
    stored = {name: getattr(requirement, name) for name in SCHEDULE_FIELDS}
    stored = json.loads(json.dumps(stored, cls=DjangoJSONEncoder))  # dates as recorded
    return actor_id if all(saved.get(name) == value for name, value in stored.items()) else None


def requirement_deleted(requirement: TrainingRequirement, *, by) -> None:
    """A requirement about to be deleted with its assignments
    (``fledge.requirement.delete``): its rule and how many assignment records go with
    it. Called while its rows still exist, in the deletion's transaction."""
    audit.record(
        actor=by,
        action="fledge.requirement.delete",
        obj=requirement,
        payload={
            "requirement": requirement.pk,
            "rule": requirement_rule(requirement),
            "assignments_removed": requirement.assignments.count(),
        },
    )


def material_change_reopened(
    requirement: TrainingRequirement,
    *,
    course: Model,
    revision: Model,
    note: str,
    due: date,
    cycles: list[dict],
    by,
) -> None:
    """Cycles of ``requirement`` open again because ``course`` was published with a
    material change in ``revision`` (``fledge.assignment.material_change``). Each of
    ``cycles`` names the open cycle (``assignment``: a new one, or a renewal brought
    forward, with the date it was due before as ``from``), the completed cycle it
    supersedes and its due date: ``due``, or sooner where the old completion expires
    sooner. ``by``: who published, when known. The editor's note goes into the payload
    as a digest, into Wagtail's history as text. Nothing when there are no cycles."""
    cycles = sorted(cycles, key=lambda cycle: cycle["assignment"])
    if not cycles:
        return
    audit.record(
        actor=by,
        action="fledge.assignment.material_change",
        obj=requirement,
        payload={
            "requirement": requirement.pk,
            "course": course.pk,
            "revision": revision.pk,
            "due": due,
            "assignments": [cycle["assignment"] for cycle in cycles],
            "cycles": cycles,
            "note_digest": audit.text_digest(note),
        },
        details={"note": note},
    )


def acting_user_id() -> int | None:
    """Who is acting, as Wagtail's log context knows them: the signed-in user of an
    admin view; None in a worker, a command or a scheduled publish."""
    user = get_active_log_context().user
    return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None


def notification_sent(log: NotificationLog) -> None:
    """A reminder, overdue escalation, completion confirmation or digest handed to the
    mail server (recorded as it goes out: one sent twice after a crash shows twice)."""
    audit.record(
        actor=None,
        action="fledge.notification.sent",
        obj=log,
        payload={
            "kind": log.kind,
            "step": log.step,
            "assignment": log.assignment_id,
            "cc_manager": log.cc_manager,
        },
        subject=log.recipient_id,
    )
