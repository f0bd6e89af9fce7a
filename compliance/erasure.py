"""This app's part of a person's erasure and of the retention purge (records.hooks).

An erased person's cycles stay (the compliance figures and reports count them); the
free text about them goes: an exemption's reason (also in Wagtail's history of the
cycle) and a sending error of a message to them, which may quote their address.

The purge removes the message log of cycles long finished: a row's key only stops a
message being sent twice, and nothing sends a reminder for a completed or closed cycle
again, nor a digest for a week long past.
"""

from datetime import datetime

from django.db.models import Q

import audit

from .models import Assignment, NotificationLog


def erase_person(person, *, erased) -> dict[str, int]:
    """Exemption reasons become ``erased.redacted``; errors of messages to the person
    are cleared."""
    assignments = Assignment.objects.filter(user=person)
    ids = list(assignments.values_list("pk", flat=True))
    reasons = assignments.exclude(exemption_reason="").update(exemption_reason=erased.redacted)
    errors = NotificationLog.objects.filter(recipient=person).exclude(error="").update(error="")
    return {
        "compliance.exemption_reason": reasons,
        "compliance.notification_error": errors,
        "compliance.history": audit.redact_details(
            model=Assignment, ids=ids, replacement=erased.redacted
        ),
    }


def purge_before(*, cutoff: datetime) -> dict[str, int]:
    """Delete the log of messages sent before ``cutoff`` about cycles completed or
    closed, and managers' digests sent before it (their week is over). Rows of open
    cycles stay, however old: they keep a due reminder from being sent twice."""
    finished = Q(assignment__completed_on__isnull=False) | Q(assignment__closed_on__isnull=False)
    digest = Q(assignment__isnull=True, kind=NotificationLog.Kind.DIGEST)
    old = NotificationLog.objects.filter(finished | digest, sent_at__lt=cutoff)
    removed, _ = old.delete()
    return {"compliance.notification_log": removed}
