"""What each event says, built from the product's own rows.

Payloads carry ids, statuses and dates, plus the user's id and username, which is what
an integrator needs to match a person; never emails, names or free text (a
revocation's reason stays in Fledge). Each function returns the ids of the deliveries
it queued (:func:`api.webhooks.events.event_emit`) and reads nothing when no active
subscription wants its event type.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat

from certificates.models import Certificate
from compliance.models import AWAITING_COMPLETION, Assignment, TrainingRequirement
from compliance.selectors import local_today
from learner.models import Enrollment

from .events import BATCH, event_emit, events_emit, subscribed_types
from .models import EventType, WebhookEvent

#: The key of a cycle's overdue event, before the assignment's id.
OVERDUE_KEY = "assignment.overdue:"
#: Cycles announced overdue per run; the next run takes the rest.
OVERDUE_BATCH = 500
#: Only cycles that fell due this many days ago or later are announced: a sweep that
#: missed days still catches up, and a new subscription is not flooded with every
#: cycle that was ever overdue (the compliance status lists those).
OVERDUE_LOOKBACK_DAYS = 7


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _person(user) -> dict:
    return {"user_id": user.pk, "username": user.get_username()}


def enrollment_created(enrollment: Enrollment) -> list[int]:
    """``enrolment.created``: a new enrolment (active, pending or waitlisted)."""
    if EventType.ENROLLMENT_CREATED not in subscribed_types():
        return []
    data = {
        "enrolment_id": enrollment.pk,
        "course_id": enrollment.course_id,
        **_person(enrollment.user),
        "status": enrollment.status,
        "requested_at": _iso(enrollment.requested_at),
    }
    return event_emit(
        type=EventType.ENROLLMENT_CREATED, data=data, key=f"enrolment.created:{enrollment.pk}"
    )


def enrollment_completed(enrollment: Enrollment) -> list[int]:
    """``enrolment.completed``: the course was completed (once per completion)."""
    if EventType.ENROLLMENT_COMPLETED not in subscribed_types():
        return []
    data = {
        "enrolment_id": enrollment.pk,
        "course_id": enrollment.course_id,
        **_person(enrollment.user),
        "status": enrollment.status,
        "completed_at": _iso(enrollment.completed_at),
    }
    key = f"enrolment.completed:{enrollment.pk}:{_iso(enrollment.completed_at)}"
    return event_emit(type=EventType.ENROLLMENT_COMPLETED, data=data, key=key)


def _certificate(certificate: Certificate) -> dict:
    return {
        "certificate_id": certificate.pk,
        "number": certificate.number,
        "enrolment_id": certificate.enrollment_id,
        "course_id": certificate.course_id,
        **_person(certificate.user),
        "issued_at": _iso(certificate.issued_at),
        "expires_at": _iso(certificate.expires_at),
        "revoked_at": _iso(certificate.revoked_at),
        "replaces_id": certificate.replaces_id,
    }


def certificate_issued(certificate: Certificate) -> list[int]:
    """``certificate.issued``: on completion, or as the replacement of a reissue."""
    if EventType.CERTIFICATE_ISSUED not in subscribed_types():
        return []
    return event_emit(
        type=EventType.CERTIFICATE_ISSUED,
        data=_certificate(certificate),
        key=f"certificate.issued:{certificate.pk}",
    )


def certificate_revoked(certificate: Certificate) -> list[int]:
    """``certificate.revoked``: revoked, or replaced by a reissue (once each)."""
    if EventType.CERTIFICATE_REVOKED not in subscribed_types():
        return []
    return event_emit(
        type=EventType.CERTIFICATE_REVOKED,
        data=_certificate(certificate),
        key=f"certificate.revoked:{certificate.pk}",
    )


def _assignment(row: Assignment, username: str) -> dict:
    return {
        "assignment_id": row.pk,
        "requirement_id": row.requirement_id,
        "user_id": row.user_id,
        "username": username,
        "cycle": row.cycle,
        "assigned_on": _iso(row.assigned_on),
        "due_on": _iso(row.due_on),
        "completed_on": _iso(row.completed_on),
        "expires_on": _iso(row.expires_on),
        "exempt": row.exempt,
    }


def _usernames(user_ids: Iterable[int]) -> dict[int, str]:
    model = get_user_model()
    rows = model.objects.filter(pk__in=set(user_ids)).values_list("pk", model.USERNAME_FIELD)
    return dict(rows)


def _inserted(rows: Iterable[Assignment]) -> list[Assignment]:
    """The rows of a bulk insert as stored, read back by (requirement, cycle, user):
    an insert that yields to conflicts leaves ids unset, and may have skipped a row."""
    groups: dict[tuple[int, int], set[int]] = defaultdict(set)
    for row in rows:
        groups[row.requirement_id, row.cycle].add(row.user_id)
    found: list[Assignment] = []
    for (requirement_id, cycle), user_ids in groups.items():
        people = sorted(user_ids)
        for start in range(0, len(people), BATCH):
            found += Assignment.objects.filter(
                requirement_id=requirement_id,
                cycle=cycle,
                user_id__in=people[start : start + BATCH],
            )
    return sorted(found, key=lambda row: row.pk)


def assignments_created(rows: Iterable[Assignment]) -> list[int]:
    """``assignment.created``, one event per new cycle, written in batches."""
    if EventType.ASSIGNMENT_CREATED not in subscribed_types():
        return []
    created = _inserted(rows)
    names = _usernames(row.user_id for row in created)
    items = [
        (f"assignment.created:{row.pk}", _assignment(row, names.get(row.user_id, "")))
        for row in created
    ]
    return events_emit(type=EventType.ASSIGNMENT_CREATED, items=items)


def assignment_completed(row: Assignment) -> list[int]:
    """``assignment.completed``: a cycle credited with a completion (once per cycle)."""
    if EventType.ASSIGNMENT_COMPLETED not in subscribed_types():
        return []
    data = {**_assignment(row, row.user.get_username()), "enrolment_id": row.enrollment_id}
    data["late"] = row.is_late()
    return event_emit(
        type=EventType.ASSIGNMENT_COMPLETED, data=data, key=f"assignment.completed:{row.pk}"
    )


def assignments_overdue(*, as_of: date | None = None) -> list[int]:
    """``assignment.overdue`` for every cycle past its due date on ``as_of`` (by at most
    :data:`OVERDUE_LOOKBACK_DAYS`) and still awaiting completion, once per cycle (the
    key), however often this runs. Time, not a change, makes a cycle overdue, so the
    periodic task calls this."""
    if EventType.ASSIGNMENT_OVERDUE not in subscribed_types():
        return []
    today = local_today(as_of=as_of)
    announced = WebhookEvent.objects.filter(
        key=Concat(Value(OVERDUE_KEY), Cast(OuterRef("pk"), CharField()))
    )
    rows = list(
        Assignment.objects.filter(
            AWAITING_COMPLETION,
            due_on__lt=today,
            due_on__gte=today - timedelta(days=OVERDUE_LOOKBACK_DAYS),
        )
        .exclude(Exists(announced))
        .order_by("pk")[:OVERDUE_BATCH]
    )
    names = _usernames(row.user_id for row in rows)
    items = [
        (
            f"{OVERDUE_KEY}{row.pk}",
            {**_assignment(row, names.get(row.user_id, "")), "overdue_on": _iso(today)},
        )
        for row in rows
    ]
    return events_emit(type=EventType.ASSIGNMENT_OVERDUE, items=items)


def requirement_changed(requirement: TrainingRequirement, *, action: str) -> list[int]:
    """``requirement.changed``: a requirement created, edited or deleted (``action``)."""
    if EventType.REQUIREMENT_CHANGED not in subscribed_types():
        return []
    data = {
        "requirement_id": requirement.pk,
        "action": action,
        "name": requirement.name,
        "course_id": requirement.course_id,
        "active": requirement.active,
        "due_rule": requirement.due_rule,
        "due_date": _iso(requirement.due_date),
        "due_days": requirement.due_days,
        "recurrence_months": requirement.recurrence_months,
    }
    return event_emit(type=EventType.REQUIREMENT_CHANGED, data=data)
