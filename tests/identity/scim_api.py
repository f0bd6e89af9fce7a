"""A SCIM client for the tests: Django's test client with a provisioning token, speaking
``application/scim+json`` the way identity providers do, and the fixtures that make one.

Import the fixtures into a test module by their function names
(``from tests.identity.scim_api import scim_fixture``); tests ask for ``scim`` and
``scim_token``.
"""

import json
from dataclasses import dataclass

from django.test import Client

import pytest

from accounts.services import provisioning_token_create

SCIM_JSON = "application/scim+json"
BASE = "/scim/v2/"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


@dataclass
class ScimClient:
    """``get``, ``post``, ``put``, ``patch`` and ``delete`` relative to /scim/v2/."""

    client: Client
    token: str

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Accept": SCIM_JSON}

    def get(self, path: str, **params):
        return self.client.get(BASE + path, params, headers=self._headers())

    def post(self, path: str, body):
        return self._send("post", path, body)

    def put(self, path: str, body):
        return self._send("put", path, body)

    def patch(self, path: str, *operations: dict):
        return self._send("patch", path, {"schemas": [PATCH_OP], "Operations": list(operations)})

    def delete(self, path: str):
        return self.client.delete(BASE + path, headers=self._headers())

    def _send(self, method: str, path: str, body):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return getattr(self.client, method)(
            BASE + path, data, content_type=SCIM_JSON, headers=self._headers()
        )


def user_body(username: str, **extra) -> dict:
    """A User as Entra ID posts it by default."""
    given, _, family = extra.pop("name", "Ada Lovelace").partition(" ")
    email = extra.pop("email", username if "@" in username else f"{username}@example.com")
    body = {
        "schemas": [USER, ENTERPRISE],
        "externalId": extra.pop("externalId", f"ext-{username}"),
        "userName": username,
        "active": True,
        "displayName": f"{given} {family}",
        "emails": [{"primary": True, "type": "work", "value": email}],
        "name": {"formatted": f"{given} {family}", "familyName": family, "givenName": given},
    }
    body.update(extra)
    return body


def assert_scim_error(response, status: int, scim_type: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(SCIM_JSON)
    body = response.json()
    assert body["schemas"] == [ERROR]
    assert body["status"] == str(status)
    assert body["detail"]
    if scim_type is not None:
        assert body.get("scimType") == scim_type
    return body


@pytest.fixture(name="scim_token")
def scim_token_fixture(db) -> str:
    """A provisioning token (the secret), made by the service as the admin makes it."""
    _, secret = provisioning_token_create(name="Entra ID")
    return secret


@pytest.fixture(name="scim")
def scim_fixture(scim_token) -> ScimClient:
    """A SCIM client that sends the ``scim_token``."""
    return ScimClient(Client(), scim_token)
