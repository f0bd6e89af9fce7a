"""Writing to the email outbox.

:func:`email_queue` is how any app sends an email: it renders the message now and
writes it as a row in the caller's transaction (so it exists exactly when what caused
it was committed), and asks for the outbox to be sent once the transaction commits.
If that hand-over fails (the broker is down) or its worker dies, the per-minute sweep
sends it; nothing is lost and nothing is sent twice.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.template.loader import render_to_string

from base.transactions import after_commit

from . import tasks
from .models import OutgoingEmail


def email_queue(
    *,
    key: str,
    recipient: AbstractBaseUser,
    subject: str,
    template: str,
    context: dict[str, object],
) -> None:
    """Queue one email to ``recipient``, rendered from ``<template>.txt`` and
    ``<template>.html``.

    Nothing is queued for a person without an email address, or when a message with
    the same ``key`` was queued before (a retry or a double submit).
    """
    address = getattr(recipient, "email", "")
    if not address:
        return
    context = {"site_name": settings.WAGTAIL_SITE_NAME, "user": recipient, **context}
    email = OutgoingEmail(
        key=key,
        recipient=recipient,
        to=address,
        subject=subject[:300],
        text=render_to_string(f"{template}.txt", context),
        html=render_to_string(f"{template}.html", context),
    )
    # One statement, no savepoint: a key queued before is left as it is.
    OutgoingEmail.objects.bulk_create([email], ignore_conflicts=True)
    after_commit(tasks.send_outbox.delay)
