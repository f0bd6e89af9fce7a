"""The compliance app's entries in the audit trail, written by its services inside the
transaction of the change they record.

The sync changes many assignments at once, so it writes one entry per requirement and
kind of change, listing the assignments (or, for renewals, whose ids the insert does
not return, the people's pseudonyms). Payloads carry ids and dates only: an exemption's
reason is in the hashed payload as a keyed digest, and in Wagtail's history as text.
"""

from collections.abc import Iterable

import audit

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
