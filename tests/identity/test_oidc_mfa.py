"""MFA asserted by the identity provider: an OpenID Connect sign-in whose ID token's
``amr`` says MFA opens the admin to staff without a Fledge factor, when the site and
the provider are trusted for it; a password-only sign-in does not."""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

import pyotp
import pytest
from allauth.mfa.totp.internal.auth import TOTP

from accounts.mfa import MFA_SESSION_KEY
from tests.identity.oidc_flow import sign_in

pytestmark = pytest.mark.django_db

User = get_user_model()


def staff_session(provider, username: str) -> Client:
    """``username``'s first sign-in makes their account; an administrator then makes
    them staff; they sign in again through the provider, in a new browser."""
    sign_in(Client(), provider, username)
    User.objects.filter(username=username).update(is_staff=True, is_superuser=True)
    client = Client()
    sign_in(client, provider, username)
    return client


class TestMFAFromTheProvider:
    def test_staff_who_used_mfa_at_the_provider_reach_the_admin(
        self, oidc_settings, openid_provider
    ):
        client = staff_session(openid_provider, "ada")
        assert client.session[MFA_SESSION_KEY]["method"] == "idp"
        assert client.get("/admin/").status_code == 200

    def test_staff_who_used_a_password_alone_must_enrol_a_factor(
        self, oidc_settings, openid_provider
    ):
        client = staff_session(openid_provider, "grace")
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_activate_totp"))

    def test_is_ignored_when_the_site_does_not_trust_providers(
        self, oidc_settings, openid_provider
    ):
        oidc_settings.FLEDGE_MFA_TRUST_IDP = False
        client = staff_session(openid_provider, "ada")
        assert MFA_SESSION_KEY not in client.session
        assert client.get("/admin/").status_code == 302

    def test_is_ignored_for_a_provider_not_trusted_for_it(self, oidc_settings, openid_provider):
        app = oidc_settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]
        app["settings"]["trust_mfa"] = False
        client = staff_session(openid_provider, "ada")
        assert MFA_SESSION_KEY not in client.session

    def test_an_acr_in_the_trusted_list_counts(self, oidc_settings, directory):
        oidc_settings.FLEDGE_MFA_IDP_ACR = ["gold"]
        directory.set_claims("grace", acr="gold")
        client = staff_session(directory, "grace")
        assert client.get("/admin/").status_code == 200


class TestFledgeFactorAfterTheProvider:
    def test_groups_follow_once_the_person_has_also_answered_fledges_step(
        self, oidc_settings, directory
    ):
        sign_in(Client(), directory, "grace")
        grace = User.objects.get(username="grace")
        secret = pyotp.random_base32()
        TOTP.activate(grace, secret)
        directory.set_claims("grace", department="Finance")

        client = Client()
        response = sign_in(client, directory, "grace")
        assert response["Location"] == reverse("mfa_authenticate")
        assert not grace.groups.exists()

        answered = client.post(reverse("mfa_authenticate"), {"code": pyotp.TOTP(secret).now()})
        assert answered["Location"] == reverse("learner:dashboard")
        assert list(grace.groups.values_list("name", flat=True)) == ["Finance"]
