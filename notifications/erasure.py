"""This app's part of a person's erasure and of the retention purge (records.hooks).

An erased person is never mailed again: their unsent emails are deleted. A sent one
keeps its row (when it went, how many tries), so the outbox's history still adds up,
but its address, subject and text are replaced. The purge deletes sent emails older
than the cutoff; unsent ones stay whatever their age, for the sender to deliver.
"""

from datetime import datetime

from django.db.models import Q

from .models import OutgoingEmail


def _addressed_to(person, identifiers: tuple[str, ...]) -> Q:
    """Emails to ``person``: by the recipient link, or by an address they had (a
    message queued without the link)."""
    rows = Q(recipient=person)
    for identifier in identifiers:
        if "@" in identifier:
            rows |= Q(to__iexact=identifier)
    return rows


def erase_person(person, *, erased) -> dict[str, int]:
    """Delete the person's unsent emails; blank out the sent ones (address, subject,
    text and HTML become ``erased.redacted``; an error is cleared)."""
    emails = OutgoingEmail.objects.filter(_addressed_to(person, erased.identifiers))
    deleted, _ = emails.filter(sent_at__isnull=True).delete()
    redacted = emails.filter(sent_at__isnull=False).update(
        to=erased.redacted,
        subject=erased.redacted,
        text=erased.redacted,
        html=erased.redacted,
        error="",
    )
    return {"notifications.email_deleted": deleted, "notifications.email_redacted": redacted}


def purge_before(*, cutoff: datetime) -> dict[str, int]:
    """Delete the emails sent before ``cutoff``."""
    removed, _ = OutgoingEmail.objects.filter(sent_at__lt=cutoff).delete()
    return {"notifications.outgoing_email": removed}
