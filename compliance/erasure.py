"""This app's part of a person's erasure and of the retention purge (records.hooks).

An erased person's cycles stay (the compliance figures and reports count them); the
free text about them goes: an exemption's reason (also in Wagtail's history of the
cycle) and a sending error of a message to them, which may quote their address.

The purge removes the message log of cycles long finished: a row's key only stops a
message being sent twice, and nothing sends a reminder for a completed or closed cycle
again, nor a digest for a week long past.
"""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from wagtail.models import ModelLogEntry

from .models import Assignment, NotificationLog

#: Keys of free text in this app's entries in Wagtail's history (``details``).
FREE_TEXT_KEYS = ("reason",)


def redact_history(ids: list[int], *, redacted: str) -> int:
    """Replace the exemption reasons in Wagtail's history of the cycles ``ids``; how
    many entries changed. The hashed trail holds only digests of them."""
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Assignment),
        object_id__in=[str(pk) for pk in ids],
    )
    changed = 0
    for entry in entries.only("pk", "data"):
        data = entry.data if isinstance(entry.data, dict) else {}
        if any(data.get(key) for key in FREE_TEXT_KEYS):
            entry.data = {**data, **{key: redacted for key in FREE_TEXT_KEYS if data.get(key)}}
            entry.save(update_fields=["data"])
            changed += 1
    return changed


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
        "compliance.history": redact_history(ids, redacted=erased.redacted),
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
