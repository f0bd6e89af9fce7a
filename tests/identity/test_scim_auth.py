"""SCIM answers only a valid provisioning token: without one, with a wrong, malformed or
revoked one, every endpoint is a 401 SCIM error with ``WWW-Authenticate: Bearer``."""

import hashlib
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

import pytest

from accounts.models import ProvisioningToken
from accounts.services import provisioning_token_revoke
from tests.identity.scim_api import (
    BASE,
    SCIM_JSON,
    ScimClient,
    assert_scim_error,
    scim_fixture,  # noqa: F401 - fixture
    scim_token_fixture,  # noqa: F401 - fixture
    user_body,
)

pytestmark = pytest.mark.django_db


class TestWithoutAValidToken:
    @pytest.mark.parametrize(
        "path", ["ServiceProviderConfig", "Users", "Groups", "Schemas", "Users/1", "Nowhere"]
    )
    def test_no_token_is_401_with_a_bearer_challenge(self, path):
        response = Client().get(BASE + path)
        assert_scim_error(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")

    @pytest.mark.parametrize(
        "header",
        [
            "Bearer fscim_not-a-real-token-at-all",
            "Bearer nonsense",
            "Bearer",
            "Bearer two tokens",
            "Basic YWRtaW46YWRtaW4=",
        ],
    )
    def test_wrong_or_malformed_tokens_are_401(self, scim_token, header):
        response = Client().get(BASE + "Users", headers={"Authorization": header})
        assert_scim_error(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_a_token_with_one_character_changed_is_refused(self, scim_token):
        forged = scim_token[:-1] + ("A" if scim_token[-1] != "A" else "B")
        assert_scim_error(ScimClient(Client(), forged).get("Users"), 401)

    def test_a_revoked_token_stops_working_at_once(self, scim):
        assert scim.get("Users").status_code == 200
        provisioning_token_revoke(token=ProvisioningToken.objects.get())
        assert_scim_error(scim.get("Users"), 401)

    def test_writes_without_a_token_change_nothing(self):
        response = Client().post(
            BASE + "Users", user_body("eve@example.com"), content_type=SCIM_JSON
        )
        assert_scim_error(response, 401)
        assert not get_user_model().objects.filter(username="eve@example.com").exists()

    def test_a_signed_in_superuser_is_not_a_scim_client(self, admin_client):
        assert_scim_error(admin_client.get(BASE + "Users"), 401)

    def test_a_cookie_only_write_changes_nothing(self, admin_user):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(admin_user)
        response = browser.post(
            BASE + "Users", user_body("mallory@example.com"), content_type=SCIM_JSON
        )
        assert_scim_error(response, 401)
        assert not get_user_model().objects.filter(username="mallory@example.com").exists()


class TestWithAToken:
    def test_service_provider_config_answers_the_scim_schema(self, scim):
        response = scim.get("ServiceProviderConfig")
        assert response.status_code == 200
        assert response["Content-Type"].startswith(SCIM_JSON)
        body = response.json()
        assert body["schemas"] == ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]
        assert body["patch"]["supported"] is True
        assert body["filter"]["supported"] is True
        assert body["authenticationSchemes"][0]["type"] == "oauthbearertoken"

    def test_scim_json_is_answered_whatever_the_client_accepts(self, scim_token):
        response = Client().get(
            BASE + "ServiceProviderConfig",
            headers={"Authorization": f"Bearer {scim_token}", "Accept": "text/html"},
        )
        assert response.status_code == 200
        assert response["Content-Type"].startswith(SCIM_JSON)

    def test_writes_need_no_csrf_token(self, scim_token):
        client = ScimClient(Client(enforce_csrf_checks=True), scim_token)
        assert client.post("Users", user_body("ada@example.com")).status_code == 201

    def test_use_is_recorded_on_the_token(self, scim):
        scim.get("Users")
        assert ProvisioningToken.objects.get().last_used_at is not None

    def test_only_a_hash_of_the_token_is_stored(self, scim_token):
        row = ProvisioningToken.objects.get()
        assert row.token_hash == hashlib.sha256(scim_token.encode()).hexdigest()
        assert scim_token.startswith(row.prefix)
        stored = " ".join(str(v) for v in ProvisioningToken.objects.values_list().get())
        assert scim_token not in stored


class TestTokenCommand:
    def test_create_prints_a_working_token_once(self):
        out, err = StringIO(), StringIO()
        call_command("scim_token", "create", "--name", "Okta", stdout=out, stderr=err)
        secret = out.getvalue().strip()
        assert "not shown again" in err.getvalue()
        assert ScimClient(Client(), secret).get("ServiceProviderConfig").status_code == 200

        listing = StringIO()
        call_command("scim_token", "list", stdout=listing)
        assert "Okta" in listing.getvalue() and secret not in listing.getvalue()

        call_command("scim_token", "revoke", secret[:14], stdout=StringIO())
        assert_scim_error(ScimClient(Client(), secret).get("Users"), 401)
