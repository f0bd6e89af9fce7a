"""Webhooks: who is told (subscriptions), what happened (events), and the outbox of
deliveries with every attempt.

The outbox is the truth. An event and one delivery per interested subscription are
written in the transaction of the change they describe, so a rolled-back change sends
nothing and a committed one is never lost: a lost task, a killed worker or a receiver
that is down only delays a delivery until the per-minute sweep finds it due.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

#: Every webhook secret starts with this, so people and secret scanners recognise one.
SECRET_PREFIX = "whsec_"  # noqa: S105 - a marker, not a secret


def new_secret() -> str:
    """A fresh signing secret (256 bits)."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


class EventType(models.TextChoices):
    """What a subscription can be told about. The values are the public event names."""

    ENROLLMENT_CREATED = "enrolment.created", "Enrolment created"
    ENROLLMENT_COMPLETED = "enrolment.completed", "Enrolment completed"
    CERTIFICATE_ISSUED = "certificate.issued", "Certificate issued"
    CERTIFICATE_REVOKED = "certificate.revoked", "Certificate revoked"
    ASSIGNMENT_CREATED = "assignment.created", "Required training assigned"
    ASSIGNMENT_OVERDUE = "assignment.overdue", "Required training overdue"
    ASSIGNMENT_COMPLETED = "assignment.completed", "Required training completed"
    REQUIREMENT_CHANGED = "requirement.changed", "Requirement created, edited or deleted"


class WebhookSubscription(models.Model):
    """An endpoint told about the chosen events, each POST signed with ``secret``.

    The secret is stored as it is: signing (HMAC) needs it in clear at every send, so
    a hash would not do, and encrypting it with a key held beside the database in the
    settings would protect only against a leak of the database alone while making a
    key rotation break every subscription. Instead it is shown in full once, when it
    is made, and masked (its first characters) everywhere after; a new one can be
    drawn at any time.
    """

    name = models.CharField(max_length=100, help_text="Who receives it, e.g. “HR system”.")
    url = models.URLField("URL", max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    active = models.BooleanField(default=True, help_text="Inactive: no new deliveries.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "webhook"

    def __str__(self) -> str:
        return self.name

    @property
    def masked_secret(self) -> str:
        """The secret as shown after its creation: enough to tell two apart."""
        return self.secret[: len(SECRET_PREFIX) + 4] + "…"


class WebhookEvent(models.Model):
    """Something that happened, as receivers see it (``payload``). ``event_id`` is the
    same in every delivery and every attempt, so receivers can drop duplicates.

    ``key`` (when set) makes an event happen once: "assignment.overdue:<id>" is sent
    once per cycle however often the overdue pass runs."""

    #: Outbox rows, written in bulk (no ``post_save``): kept out of Wagtail's reference
    #: index, which could not stay current with them (and a restore rebuilds it).
    wagtail_reference_index_ignore = True

    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(max_length=40, choices=EventType.choices)
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    payload = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "webhook event"

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class WebhookDelivery(models.Model):
    """One event for one subscription: the outbox row the sender works from.

    Pending until a 2xx answer (delivered) or until ``retry_until`` passes (failed).
    ``next_attempt_at`` is when it is next due; a sender claims it by moving that
    forward with one conditional UPDATE (:mod:`api.webhooks.delivery`)."""

    #: Outbox rows, written in bulk (no ``post_save``): kept out of Wagtail's reference
    #: index, which could not stay current with them (and a restore rebuilds it).
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    retry_until = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "subscription"], name="api_webhook_one_delivery_per_event"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="api_webhook_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event.type} → {self.subscription}"


class WebhookAttempt(models.Model):
    """One POST of a delivery: when, the answer's status code (none when the receiver
    could not be reached) or the error, and how long it took."""

    #: Outbox rows, written in bulk (no ``post_save``): kept out of Wagtail's reference
    #: index, which could not stay current with them (and a restore rebuilds it).
    wagtail_reference_index_ignore = True

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["delivery", "number"]
        verbose_name = "webhook attempt"

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.delivery_id}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
