"""The outbox's part of a person's data download (records.hooks): every email queued
for them, as it was written."""

from .models import OutgoingEmail


def export_person(person) -> dict:
    """The emails to ``person``: when, to which address, subject and text, and when
    (whether) they were sent."""
    emails = OutgoingEmail.objects.filter(recipient=person).order_by("created_at", "pk")
    return {
        "notifications/emails": list(
            emails.values("created_at", "sent_at", "to", "subject", "text")
        )
    }
