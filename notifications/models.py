"""The outbox: one row per email, written in the transaction that causes it.

A message that is only handed to a mail server after the commit is lost when the server,
the broker or the process fails at that moment. Written as a row in the same transaction
as its cause, it is lost only with the cause itself; a sender then delivers it, at once
after the commit when it can and from the per-minute sweep otherwise, and stamps it
sent right after handing it over, so a crash resends at most the one message in flight.

(Compliance reminders have their own outbox, ``compliance.NotificationLog``, whose rows
are rebuilt from assignments each day; both will move onto one notifications outbox with
preferences and in-app messages in a later release.)
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class OutgoingEmail(models.Model):
    """One email to one person, rendered when it was queued.

    ``key`` is unique ("<what>:<object id>:<kind>", e.g. ``enrollment:42:request_approved``),
    so a double submit, a retried task or a replayed request queues a message once. The
    text is rendered at queue time, so it says what was true when it happened.
    """

    key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    to = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    #: A sender holds the message until then; after it, another may take it over.
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=36, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "lease_until"])]
        ordering = ["-created_at"]
        verbose_name = "outgoing email"

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
