"""People's facts beyond Django's user model: their manager (``Profile``), what the
identity provider's directory says about them and their groups (``DirectoryAccount``,
``DirectoryGroup``, kept by SCIM provisioning), and the bearer tokens that let a
directory provision (``ProvisioningToken``)."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet


class Profile(models.Model):
    """Extra facts about a user. ``manager`` receives overdue escalations and a weekly
    digest of their people's overdue training, and sees them in compliance reports."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_profiles",
    )
    erased_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the person's personal data was erased (records.services.erase_person).",
    )

    class Meta:
        verbose_name = "person's manager"
        verbose_name_plural = "people's managers"

    def __str__(self) -> str:
        return f"{self.user} (manager: {self.manager or 'none'})"

    def clean(self) -> None:
        if self.manager_id and self.manager_id == self.user_id:
            raise ValidationError({"manager": "A person cannot be their own manager."})


class DirectoryAccount(models.Model):
    """A person as the identity provider's directory describes them, written only by
    provisioning (``accounts.services``). A user without one was never touched by it.

    ``deleted_at`` is set when the directory deleted the person: the account stays
    (deactivated, with all its learning history) but is no longer a SCIM resource; a
    later create with the same user name brings it back.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_account"
    )
    #: The directory's own id for the person (SCIM ``externalId``).
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    department = models.CharField(max_length=255, blank=True)
    #: "Employee", "Contractor", "Student"… (SCIM ``userType`` or the enterprise
    #: ``employeeType`` as Entra ID maps it).
    employee_type = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "directory account"

    def __str__(self) -> str:
        return f"{self.user} (directory)"


def provisionable_users() -> QuerySet:
    """The people provisioning may see and change: everyone but superusers (who are
    managed in Fledge, never by a directory token) and those the directory deleted."""
    return (
        get_user_model()
        .objects.filter(is_superuser=False)
        .exclude(directory_account__deleted_at__isnull=False)
    )


class DirectoryGroup(models.Model):
    """Marks a Django group as provisioned by the directory: only these are SCIM
    ``Groups``, so a directory never sees or changes the role groups (Instructors,
    Compliance admins) or a course's instructors."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="directory_group")
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "directory group"

    def __str__(self) -> str:
        return f"{self.group} (directory)"


#: Every provisioning token starts with this, so a leaked one is recognisable (secret
#: scanners, logs) and a token is never mistaken for a password.
TOKEN_PREFIX = "fscim_"  # noqa: S105 - a marker, not a secret
#: Characters of a token kept in clear: enough to tell tokens apart in the admin and
#: to find the row, far too few to guess the rest.
TOKEN_VISIBLE_CHARS = len(TOKEN_PREFIX) + 8


def hash_token(secret: str) -> str:
    """SHA-256 of a token. Tokens are 256 random bits, so no salt or slow hash is
    needed, and the hash does not depend on ``SECRET_KEY`` (rotating it keeps them)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ProvisioningToken(models.Model):
    """A bearer token with which an identity provider (Entra ID, Okta) provisions
    people and groups at ``/scim/v2/``. Only its hash is stored: the token itself is
    shown once, when it is created. Revoked tokens are kept, so the admin shows who
    created which and when it was last used."""

    name = models.CharField(max_length=100, help_text="Which directory uses it, e.g. “Entra ID”.")
    prefix = models.CharField(max_length=20, editable=False, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "provisioning token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_secret() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def matches(self, secret: str) -> bool:
        """Whether ``secret`` is this token, compared in constant time."""
        return hmac.compare_digest(self.token_hash, hash_token(secret))
