"""Personal access tokens: create (shown once), revoke, authenticate."""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import hash_token
from audit.services import record
from base.errors import FledgeError

from .models import TOKEN_PREFIX, TOKEN_VISIBLE_CHARS, AccessToken, Scope

TOKEN_CREATED = "fledge.api.token_create"  # noqa: S105 - an audit action
TOKEN_REVOKED = "fledge.api.token_revoke"  # noqa: S105 - an audit action
#: ``last_used_at`` is written at most this often per token.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _payload(token: AccessToken) -> dict:
    # Ids, scopes and expiry only: names stay out of the hashed audit payload.
    return {
        "token_id": token.pk,
        "user_id": token.user_id,
        "scopes": token.scopes,
        "expires_at": token.expires_at.isoformat() if token.expires_at else None,
    }


@transaction.atomic
def access_token_create(
    *,
    user,
    name: str,
    scopes: list[str],
    expires_at: datetime | None = None,
    form_key: str = "",
    actor=None,
) -> tuple[AccessToken, str]:
    """A new token for ``user``; returns the row and the token itself, which is never
    stored and cannot be shown again. ``form_key`` identifies the form it came from:
    a second submit of the same form is refused (409) instead of making a second
    token, whose secret the first answer already showed."""
    name = (name or "").strip()
    if not name:
        raise FledgeError("Give the token a name, such as the program that will use it.")
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise FledgeError("Choose one or more scopes: " + ", ".join(Scope.values) + ".")
    if expires_at is not None and expires_at <= timezone.now():
        raise FledgeError("The expiry must be in the future.")
    secret = AccessToken.new_secret()
    try:
        with transaction.atomic():
            token = AccessToken.objects.create(
                user=user,
                name=name[:100],
                prefix=secret[:TOKEN_VISIBLE_CHARS],
                token_hash=hash_token(secret),
                scopes=[s for s in Scope.values if s in scopes],
                expires_at=expires_at,
                form_key=form_key[:32],
            )
    except IntegrityError:
        if not form_key or not AccessToken.objects.filter(user=user, form_key=form_key).exists():
            raise
        raise FledgeError(
            "This form already created its token, shown once in the first answer. If you "
            "did not copy it, revoke it below and create another.",
            status=409,
        ) from None
    record(
        actor=actor or user, action=TOKEN_CREATED, obj=token, payload=_payload(token), subject=user
    )
    return token, secret


@transaction.atomic
def access_token_revoke(*, token: AccessToken, actor=None) -> bool:
    """Stop the token working from now on. Idempotent: False when already revoked."""
    revoked = AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db(fields=["revoked_at"])
    if revoked:
        record(
            actor=actor or token.user,
            action=TOKEN_REVOKED,
            obj=token,
            payload=_payload(token),
            subject=token.user_id,
        )
    return bool(revoked)


def access_token_authenticate(*, secret: str) -> AccessToken | None:
    """The usable (unrevoked, unexpired) token that ``secret`` is, or None; records
    ``last_used_at`` at most once a minute."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) <= TOKEN_VISIBLE_CHARS:
        return None
    now = timezone.now()
    candidates = AccessToken.objects.select_related("user").filter(
        prefix=secret[:TOKEN_VISIBLE_CHARS], revoked_at__isnull=True
    )
    token = next((row for row in candidates if row.matches(secret)), None)
    if token is None or not token.is_usable(now=now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
