"""OpenID Connect answers Fledge must refuse, each with a page that says why (HTTP
401), never a 500 and never a signed-in session: a forged or foreign ``state``, an ID
token for another client or one that expired, and an authorization code used twice.
The provider is real (django-oauth-toolkit in its own process); the misbehaving ID
tokens are its own, signed for the people configured to get them."""

from html import escape

from django.contrib.auth import get_user_model
from django.test import Client

import pytest

from accounts.sso.adapter import ANSWER_REFUSED, CODE_REFUSED, NOT_STARTED_HERE
from tests.identity.oidc_flow import authorize, callback, query_value, sign_in, start

pytestmark = pytest.mark.django_db

User = get_user_model()


def assert_refused(response, reason: str, client: Client) -> None:
    assert response.status_code == 401
    assert escape(reason) in response.text
    assert "_auth_user_id" not in client.session


class TestOpenIDConnectRefusals:
    def test_a_forged_state_is_refused(self, client, oidc_settings, openid_provider):
        url = authorize(openid_provider, start(client), "ada")
        response = callback(client, url, state="forged-state-value")
        assert_refused(response, NOT_STARTED_HERE, client)
        assert not User.objects.exists()

    def test_a_state_from_another_browser_is_refused(self, oidc_settings, openid_provider):
        victim, attacker = Client(), Client()
        url = authorize(openid_provider, start(attacker), "ada")
        response = callback(victim, url)
        assert_refused(response, NOT_STARTED_HERE, victim)

    def test_an_id_token_for_another_client_is_refused(
        self, client, oidc_settings, openid_provider
    ):
        response = sign_in(client, openid_provider, "mallory-aud")
        assert_refused(response, ANSWER_REFUSED, client)
        assert not User.objects.exists()

    def test_an_expired_id_token_is_refused(self, client, oidc_settings, openid_provider):
        response = sign_in(client, openid_provider, "mallory-exp")
        assert_refused(response, ANSWER_REFUSED, client)
        assert not User.objects.exists()

    def test_a_replayed_code_is_refused(self, oidc_settings, openid_provider):
        first = Client()
        url = authorize(openid_provider, start(first), "ada")
        assert callback(first, url).status_code == 302

        # Someone holding the used callback URL starts a sign-in of their own (a fresh
        # state) and sends the old code with it: the provider refuses the code.
        replayer = Client()
        fresh_state = query_value(start(replayer), "state")
        response = callback(replayer, url, state=fresh_state)
        assert_refused(response, CODE_REFUSED, replayer)

    def test_a_used_callback_cannot_be_followed_again(self, client, oidc_settings, openid_provider):
        url = authorize(openid_provider, start(client), "ada")
        assert callback(client, url).status_code == 302
        client.logout()
        assert_refused(callback(client, url), NOT_STARTED_HERE, client)

    def test_a_refusal_from_the_provider_is_answered(self, client, oidc_settings):
        state = query_value(start(client), "state")
        response = client.get(
            "/accounts/oidc/test-idp/login/callback/", {"state": state, "error": "server_error"}
        )
        assert response.status_code == 401
        assert "_auth_user_id" not in client.session
