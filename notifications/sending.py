"""The sender of the email outbox (:class:`~notifications.models.OutgoingEmail`)."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import timezone

from . import outbox
from .models import OutgoingEmail

logger = logging.getLogger(__name__)

#: How long a sender holds the messages it claimed before another may take them over.
#: Longer than a batch takes to send, or two senders would both send it.
LEASE = timedelta(seconds=settings.FLEDGE_OUTBOX_LEASE_SECONDS)


def message_for(email: OutgoingEmail) -> EmailMultiAlternatives:
    """The email as it goes out: plain text, with the HTML part when there is one."""
    message = EmailMultiAlternatives(subject=email.subject, body=email.text, to=[email.to])
    if email.html:
        message.attach_alternative(email.html, "text/html")
    return message


def outbox_send() -> int:
    """Send every unsent email that no other sender holds; return how many went out.

    Each is stamped sent as soon as the mail server took it (:mod:`notifications.outbox`);
    one that fails keeps its error and is tried again after its lease by the next run.
    """
    sent = 0
    connection = get_connection()
    while True:
        batch = outbox.claim(OutgoingEmail.objects.all(), now=timezone.now(), lease=LEASE)
        for email in batch:
            message = message_for(email)
            message.connection = connection
            try:
                message.send()
            except Exception as error:  # one bad address or refusal must not stop the rest
                logger.warning("Could not send email %s: %s", email.key, error)
                outbox.stamp_failed([email], error)
                continue
            outbox.stamp_sent(email)
            sent += 1
        if len(batch) < outbox.BATCH:
            return sent
