"""Provisioning tokens: created in the admin (or ``manage.py scim_token``), shown once,
stored as a hash, checked on every SCIM request, revoked when no longer wanted."""

import logging
from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from ..models import TOKEN_PREFIX, TOKEN_VISIBLE_CHARS, ProvisioningToken, hash_token
from .errors import AccountError

logger = logging.getLogger(__name__)

#: The admin action label of a revocation (registered in ``accounts.wagtail_hooks``).
TOKEN_REVOKED = "accounts.provisioning_token.revoke"  # noqa: S105 - a log action
#: ``last_used_at`` is written at most this often per token: a directory syncing
#: thousands of people would otherwise write the row on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@transaction.atomic
def provisioning_token_create(
    *, name: str, created_by: AbstractBaseUser | None = None
) -> tuple[ProvisioningToken, str]:
    """A new token named ``name``; returns the row and the token itself, which is never
    stored and cannot be shown again."""
    name = (name or "").strip()
    if not name:
        raise AccountError("Give the token a name, such as the directory that will use it.")
    secret = ProvisioningToken.new_secret()
    token = ProvisioningToken.objects.create(
        name=name[:100],
        prefix=secret[:TOKEN_VISIBLE_CHARS],
        token_hash=hash_token(secret),
        created_by=created_by,
    )
    log(instance=token, action="wagtail.create", user=created_by)
    logger.info("Provisioning token %s (%s) created", token.pk, token.prefix)
    return token, secret


@transaction.atomic
def provisioning_token_revoke(
    *, token: ProvisioningToken, revoked_by: AbstractBaseUser | None = None
) -> bool:
    """Stop the token working from now on (the row stays, for the record). Returns False
    when it was already revoked."""
    revoked = ProvisioningToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db(fields=["revoked_at"])
    if revoked:
        log(instance=token, action=TOKEN_REVOKED, user=revoked_by)
        logger.info("Provisioning token %s (%s) revoked", token.pk, token.prefix)
    return bool(revoked)


def provisioning_token_authenticate(*, secret: str) -> ProvisioningToken | None:
    """The unrevoked token that ``secret`` is, or None. The row is found by the clear
    prefix and the secret compared with its hash in constant time; ``last_used_at`` is
    recorded (at most once a minute)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) <= TOKEN_VISIBLE_CHARS:
        return None
    candidates = ProvisioningToken.objects.filter(
        prefix=secret[:TOKEN_VISIBLE_CHARS], revoked_at__isnull=True
    )
    token = next((row for row in candidates if row.matches(secret)), None)
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ProvisioningToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
