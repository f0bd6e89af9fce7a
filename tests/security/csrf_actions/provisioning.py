"""Provisioning: the tokens' admin screen (forms, so CSRF-checked) and the SCIM API.

The SCIM API takes POST, PUT, PATCH and DELETE, but only with a bearer token in the
``Authorization`` header, which a cross-site form cannot send; a browser's session
cookie makes no one a SCIM client (401), so it is exempt from CSRF by design and
listed apart (``tests/identity/test_scim_auth.py`` checks that a signed-in
superuser's cookie-only write is refused and changes nothing).
"""

from ..conftest import SUPERUSER
from ..world_urls import rev
from .action import Action

TOKEN = lambda w: w.provisioning_token.pk  # noqa: E731 - table shorthand

#: Token-authenticated, CSRF-exempt endpoints.
SCIM_API = {
    "scim:config",
    "scim:schemas",
    "scim:schema",
    "scim:resource-types",
    "scim:resource-type",
    "scim:users",
    "scim:user",
    "scim:groups",
    "scim:group",
    "scim:root",
}

PROVISIONING_SAFE = {
    "provisioning_tokens:index",
    "provisioning_tokens:index_results",
    "provisioning_tokens:history",
    "provisioning_tokens:history_results",
    "provisioning_tokens:usage",
}

PROVISIONING_ACTIONS = [
    Action(
        key="provisioning_tokens:add",
        label="provisioning-token-add",
        role=SUPERUSER,
        url=rev("provisioning_tokens:add"),
        data=lambda w: {"name": "Okta"},
        get_status=200,
        changes="accounts.provisioningtoken",
    ),
    Action(
        key="provisioning_tokens:edit",
        label="provisioning-token-rename",
        role=SUPERUSER,
        url=rev("provisioning_tokens:edit", TOKEN),
        data=lambda w: {"name": "Entra ID (production)"},
        get_status=200,
        changes="accounts.provisioningtoken",
    ),
    Action(
        key="provisioning_tokens:delete",
        label="provisioning-token-revoke",
        role=SUPERUSER,
        url=rev("provisioning_tokens:delete", TOKEN),
        get_status=200,
        changes="accounts.provisioningtoken",
    ),
]
