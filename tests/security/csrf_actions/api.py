"""The account page's API tokens (forms, so CSRF-checked), and the REST API: every
endpoint so far is read-only (GET). Session callers' unsafe
methods are CSRF-checked by DRF's SessionAuthentication (``tests/api/test_resources.py``);
bearer tokens cannot be sent by a cross-site form."""

from api.models import AccessToken
from api.services import access_token_create

from ..conftest import LEARNER, SUPERUSER
from ..world_urls import rev
from .action import Action


def _make_token(client, world) -> None:
    # Before the database snapshot, so only the revocation counts as a change.
    access_token_create(user=world.me.user, name="CSRF", scopes=["read"])


def _own_token(world) -> int:
    return AccessToken.objects.filter(user=world.me.user).latest("pk").pk


API_ACTIONS = [
    Action(
        key="api_tokens",
        label="api-token-create",
        role=LEARNER,
        url=rev("api_tokens"),
        data=lambda w: {"name": "CI", "scopes": ["read"]},
        get_status=200,
        changes="api.accesstoken",
    ),
    Action(
        key="api_token_revoke",
        label="api-token-revoke",
        role=LEARNER,
        url=rev("api_token_revoke", _own_token),
        prepare=_make_token,
        changes="api.accesstoken",
    ),
]

API_ACTIONS += [
    Action(
        key="api_admin:tokens",
        label="api-admin-token-create",
        role=SUPERUSER,
        url=rev("api_admin:tokens"),
        data=lambda w: {"username": w.me.user.get_username(), "name": "CI", "scopes": ["read"]},
        get_status=200,
        changes="api.accesstoken",
    ),
    Action(
        key="api_admin:revoke",
        label="api-admin-token-revoke",
        role=SUPERUSER,
        url=rev("api_admin:revoke", _own_token),
        prepare=_make_token,
        changes="api.accesstoken",
    ),
]

API_SAFE = {
    "api:schema",
    "api:docs",
    "api:me",
    "api:certificates",
    "api:certificate-verify",
}
