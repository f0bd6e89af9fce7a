"""Personal access tokens for the REST API."""

import hmac
import secrets

from django.conf import settings
from django.db import models

from accounts.models import hash_token

#: Every API token starts with this, so secret scanners and people can recognise one.
TOKEN_PREFIX = "fapi_"  # noqa: S105 - a marker, not a secret
#: Characters kept in clear: enough to find the row and tell tokens apart.
TOKEN_VISIBLE_CHARS = len(TOKEN_PREFIX) + 8


class Scope(models.TextChoices):
    """What a token may do. A token carries a subset of these."""

    READ = "read", "Read own data"
    LEARN = "learn", "Enrol and learn"
    COMPLIANCE_READ = "compliance:read", "Read compliance"
    COMPLIANCE_WRITE = "compliance:write", "Change compliance"
    ADMIN = "admin", "Administer users and groups"


class AccessToken(models.Model):
    """A personal access token: acts as ``user`` within ``scopes``. Only the SHA-256
    hash is stored (the same :func:`accounts.models.hash_token` as provisioning
    tokens); the token itself is shown once, on creation. Revoked tokens are kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=TOKEN_VISIBLE_CHARS, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Blank: never.")
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    #: The key of the form that created it: a second submit of one form makes no
    #: second token (blank for tokens made elsewhere).
    form_key = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API access token"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "form_key"],
                condition=~models.Q(form_key=""),
                name="api_token_one_per_form",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_secret() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    def matches(self, secret: str) -> bool:
        """Whether ``secret`` is this token, compared in constant time."""
        return hmac.compare_digest(self.token_hash, hash_token(secret))

    def is_usable(self, *, now) -> bool:
        """Neither revoked nor expired at ``now``."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


from .webhooks.models import (  # noqa: E402, F401 - Django finds models in api.models
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
)
