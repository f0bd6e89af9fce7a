"""The sender of the email outbox (:class:`~notifications.models.OutgoingEmail`)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from . import outbox
from .models import OutgoingEmail


def lease() -> timedelta:
    """How long a sender holds the messages it claimed before another may take them
    over (renewed while it sends): ``FLEDGE_OUTBOX_LEASE_SECONDS``, for every outbox."""
    return timedelta(seconds=settings.FLEDGE_OUTBOX_LEASE_SECONDS)


def message_for(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The email as it goes out: plain text, with the HTML part when there is one."""
    message = EmailMultiAlternatives(subject=email.subject, body=email.text, to=[email.to])
    if email.html:
        message.attach_alternative(email.html, "text/html")
    return message


def outbox_send(*, seconds: float | None = None) -> int:
    """Send every unsent email that no other sender holds, each stamped as soon as the
    mail server took it (:func:`notifications.outbox.drain`); return how many went out.
    ``seconds`` bounds the run; the next run carries on."""
    connection = get_connection()

    def send(email: OutgoingEmail) -> bool:
        message = message_for(email)
        message.connection = connection
        message.send()
        return True

    return outbox.drain(OutgoingEmail.objects.all(), send=send, lease=lease(), seconds=seconds)
