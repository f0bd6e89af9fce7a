"""The directory provisions people (SCIM) before they first sign in through the same
identity provider: their first single sign-on reaches the provisioned account (it has
no password, so there is nothing else to prove), but only with the address the
provider verified, and never an account with a local password."""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

import pytest
from allauth.socialaccount.models import SocialAccount

from accounts.services import user_deprovision, user_provision
from tests.identity.conftest import OIDC_ID
from tests.identity.oidc_flow import sign_in

pytestmark = pytest.mark.django_db

User = get_user_model()


def signed_in_user(client: Client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_the_first_sign_in_reaches_the_account_the_directory_made(
    client, oidc_settings, openid_provider
):
    provisioned = user_provision(username="ada.lovelace", email="ada@example.org")

    response = sign_in(client, openid_provider, "ada")

    assert response.status_code == 302
    assert response["Location"] == reverse("learner:dashboard")
    assert signed_in_user(client) == provisioned
    assert SocialAccount.objects.get(provider=OIDC_ID).user == provisioned
    assert User.objects.count() == 1
    assert "Security awareness" in provisioned.groups.values_list("name", flat=True)


def test_an_address_the_provider_does_not_vouch_for_connects_nothing(
    client, oidc_settings, directory
):
    user_provision(username="ada.lovelace", email="ada@example.org")
    directory.set_claims("ada", email_verified=False)

    response = sign_in(client, directory, "ada")

    assert "An account with your email address already exists" in response.text
    assert signed_in_user(client) is None
    assert not SocialAccount.objects.exists()


def test_a_provisioned_account_that_has_a_password_must_prove_it(
    client, oidc_settings, openid_provider
):
    provisioned = user_provision(username="ada.lovelace", email="ada@example.org")
    provisioned.set_password("chosen-by-ada-42")
    provisioned.save()

    response = sign_in(client, openid_provider, "ada")

    assert "An account with your email address already exists" in response.text
    assert signed_in_user(client) is None


def test_an_account_the_directory_deleted_is_not_reached(client, oidc_settings, openid_provider):
    provisioned = user_provision(username="ada.lovelace", email="ada@example.org")
    user_deprovision(user=provisioned)

    sign_in(client, openid_provider, "ada")

    assert signed_in_user(client) is None
    assert not SocialAccount.objects.filter(user=provisioned).exists()
