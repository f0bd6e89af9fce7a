"""The audit trail's rows: entries chained by SHA-256, each naming the one before."""

import json

from django.db import models


class AuditEntry(models.Model):
    """One recorded event, appended by :func:`audit.record` and never changed.

    ``entry_hash`` covers the sequence, time, actor id, action, object, subject and
    ``payload_hash`` (the SHA-256 of ``payload``, canonical JSON kept as text so its
    bytes are what was hashed) and ``prev_hash``, the hash of the entry before, so
    altering or removing any entry breaks every hash after it (``manage.py
    audit_verify``). No personal data is hashed: a person is named by ``subject``, a
    keyed pseudonym of their id, so erasing the person leaves the chain valid. On
    PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002).
    """

    sequence = models.PositiveBigIntegerField(unique=True)
    recorded_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=255, blank=True)
    subject = models.CharField(max_length=64, blank=True, db_index=True)
    payload = models.TextField()
    payload_hash = models.CharField(max_length=64)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["sequence"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    @property
    def data(self) -> dict:
        """The payload, decoded."""
        return json.loads(self.payload)
