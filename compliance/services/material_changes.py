"""Required training after a material change of its course.

A course published with *material change* ticked (``catalog.signals.course_materially_changed``)
supersedes every completion made on an older version of it. For each active
requirement on the course, a person whose current cycle was completed on an older
revision of the course gets a new cycle: assigned and open today, due
``FLEDGE_MATERIAL_CHANGE_DUE_DAYS`` days later (or when the old completion would have
expired anyway, if that is sooner). A person already in a renewal whose previous
completion was on an older revision keeps that cycle, due no later than the same date.
Everyone affected gets one email with the editor's note, through the outbox, so it is
sent once and survives a crashed worker. Each requirement's reopened cycles are one
entry in the audit trail (``fledge.assignment.material_change``), in the same
transaction. Open first cycles, exempt and closed cycles, and completions on the
revision now live change nothing.

"Older": the enrolment's ``course_revision`` is an earlier revision than the one
published; a completion that recorded no revision (made before revisions were recorded,
or credited from before the person was assigned without an enrolment) is older when it
happened before the revision was saved.
"""

from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction

from wagtail.models import Page, Revision

from base.links import absolute_url
from notifications.services import email_queue

from .. import audit_events
from ..models import Assignment
from ..selectors.assignments import local_today
from ..signals import assignments_created

#: The email template (``.txt`` and ``.html``) sent to each person reopened.
TEMPLATE = "compliance/emails/material_change"


def _completed_on_older_revision(row: Assignment, revision: Revision) -> bool:
    """Whether the completion credited to a completed cycle was on an older revision."""
    enrollment = row.enrollment
    if enrollment is not None and enrollment.course_revision_id is not None:
        return enrollment.course_revision_id < revision.pk
    return row.completed_at is not None and row.completed_at < revision.created_at


def _due(row: Assignment, due: date) -> date:
    """The new due date: ``due``, or sooner when the old completion expires sooner."""
    return min(due, row.expires_on) if row.expires_on else due


@transaction.atomic
def assignments_reopen_for_material_change(
    *, course: Page, revision: Revision, note: str, as_of: date | None = None
) -> list[Assignment]:
    """Reopen the required training of ``course`` for everyone whose completion was on
    a revision older than ``revision`` (now live), and queue one email per person
    explaining the change (``note``). Returns the new or rescheduled cycles.

    The person's latest cycle of each requirement is read under a row lock, so a
    completion or sync running at the same moment waits and then sees the new cycle.
    Publishing the same revision again finds no older completion left to reopen.
    """
    today = local_today(as_of=as_of)
    due = today + timedelta(days=settings.FLEDGE_MATERIAL_CHANGE_DUE_DAYS)
    rows = (
        Assignment.objects.select_for_update(of=("self",))
        .filter(requirement__course_id=course.pk, requirement__active=True)
        .select_related("requirement", "enrollment", "user")
        .order_by("requirement_id", "user_id", "cycle")
    )
    history: dict[tuple[int, int], list[Assignment]] = defaultdict(list)
    for row in rows:
        history[row.requirement_id, row.user_id].append(row)

    new_rows: list[Assignment] = []
    rescheduled: list[Assignment] = []
    # Each cycle now open, the completed cycle it supersedes, and when it was due before.
    opened: list[tuple[Assignment, Assignment, date | None]] = []
    for cycles in history.values():
        latest = cycles[-1]
        if latest.closed_on is not None or latest.exempt:
            continue
        if latest.completed_on is not None:
            if _completed_on_older_revision(latest, revision):
                new_rows.append(_superseding_cycle(latest, today, _due(latest, due)))
                opened.append((new_rows[-1], latest, None))
        elif len(cycles) > 1 and latest.due_on > due:
            previous = cycles[-2]
            if previous.completed_on is not None and _completed_on_older_revision(
                previous, revision
            ):
                opened.append((latest, previous, latest.due_on))
                latest.due_on = due
                latest.opens_on = min(latest.opens_on, today)
                if latest.previous_expires_on is not None:
                    latest.previous_expires_on = min(latest.previous_expires_on, due)
                latest.save(update_fields=["due_on", "opens_on", "previous_expires_on"])
                rescheduled.append(latest)
    # A renewal the daily sync created meanwhile (it does not wait for these locks) wins.
    Assignment.objects.bulk_create(new_rows, ignore_conflicts=True)
    assignments_created.send(sender=Assignment, requirement=None, rows=new_rows)
    ids = _created_ids(new_rows, today=today)
    _record(course=course, revision=revision, note=note, due=due, opened=opened, ids=ids)
    reopened = new_rows + rescheduled
    _queue_emails(course=course, revision=revision, note=note, cycles=reopened)
    return reopened


def _superseding_cycle(row: Assignment, today: date, due: date) -> Assignment:
    """The cycle after ``row``, open today: the old completion counts until ``due``."""
    return Assignment(
        requirement=row.requirement,
        user=row.user,
        cycle=row.cycle + 1,
        assigned_on=today,
        opens_on=today,
        due_on=due,
        previous_expires_on=due,
    )


def _created_ids(rows: list[Assignment], *, today: date) -> dict[tuple, int]:
    """The ids of the new cycles this call inserted, by (requirement, person, cycle):
    an insert that yields to conflicts does not return them, so they are read back in
    one query, leaving out a row that lost to a renewal the sync created meanwhile."""
    if not rows:
        return {}
    intended = {(row.requirement_id, row.user_id, row.cycle): row for row in rows}
    found = Assignment.objects.filter(
        requirement_id__in={row.requirement_id for row in rows}, assigned_on=today, cycle__gt=1
    ).values_list("pk", "requirement_id", "user_id", "cycle", "due_on", "previous_expires_on")
    ids = {}
    for pk, *key, due_on, previous_expires_on in found:
        row = intended.get(tuple(key))
        if row is not None and (row.due_on, row.previous_expires_on) == (
            due_on,
            previous_expires_on,
        ):
            ids[tuple(key)] = pk
    return ids


def _record(
    *,
    course: Page,
    revision: Revision,
    note: str,
    due: date,
    opened: list[tuple[Assignment, Assignment, date | None]],
    ids: dict[tuple, int],
) -> None:
    """One audit entry per requirement (``fledge.assignment.material_change``), listing
    each cycle now open with the completed cycle it supersedes, by who published when
    Wagtail's log context knows them."""
    by_requirement: dict[int, list[dict]] = defaultdict(list)
    requirements = {}
    for cycle, previous, was_due in opened:
        pk = cycle.pk or ids.get((cycle.requirement_id, cycle.user_id, cycle.cycle))
        if pk is None:  # the sync's renewal won: not opened here
            continue
        entry = {"assignment": pk, "superseded": previous.pk, "due": cycle.due_on}
        if was_due is not None:
            entry["from"] = was_due
        by_requirement[cycle.requirement_id].append(entry)
        requirements[cycle.requirement_id] = cycle.requirement
    by = audit_events.acting_user_id()
    for requirement_id, cycles in by_requirement.items():
        audit_events.material_change_reopened(
            requirements[requirement_id],
            course=course,
            revision=revision,
            note=note,
            due=due,
            cycles=cycles,
            by=by,
        )


def _queue_emails(*, course: Page, revision: Revision, note: str, cycles: list[Assignment]) -> None:
    """One email per person (whatever the number of requirements), keyed by the
    revision, in this transaction: queued once, sent after the commit or by the sweep."""
    by_person: dict[int, list[Assignment]] = defaultdict(list)
    for cycle in cycles:
        by_person[cycle.user_id].append(cycle)
    course_url = absolute_url(course.url or "/")
    for user_id, theirs in by_person.items():
        theirs.sort(key=lambda cycle: cycle.due_on)
        email_queue(
            key=f"course:{course.pk}:material-change:{revision.pk}:{user_id}",
            recipient=theirs[0].user,
            subject=f"{course.title} has changed: please complete it again by "
            f"{theirs[0].due_on:%-d %B %Y}",
            template=TEMPLATE,
            context={
                "course": course,
                "course_url": course_url,
                "note": note,
                "cycles": theirs,
                "dashboard_url": absolute_url("/dashboard/"),
            },
        )


__all__ = ["assignments_reopen_for_material_change"]
