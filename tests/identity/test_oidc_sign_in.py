"""OpenID Connect sign-in against a real OpenID provider (django-oauth-toolkit in its
own process on 127.0.0.1): accounts, group mapping, required training, and the
account-matching rules."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp

from compliance.models import Assignment
from tests.compliance.factories import GroupFactory, TrainingRequirementFactory
from tests.identity.conftest import CLIENT_ID, CLIENT_SECRET, OIDC_ID, OIDC_NAME
from tests.identity.oidc_flow import authorize, callback, sign_in, start
from tests.learner.factories import PASSWORD as LOCAL_PASSWORD
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def signed_in_user(client: Client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


class TestSignInPage:
    def test_shows_a_button_for_each_configured_provider(self, client, oidc_settings):
        page = client.get(reverse("account_login"))
        assert f"Sign in with {OIDC_NAME}" in page.text
        assert f'action="/accounts/oidc/{OIDC_ID}/login/?process=login"' in page.text

    def test_shows_no_single_sign_on_without_a_provider(self, client):
        page = client.get(reverse("account_login"))
        assert page.status_code == 200
        assert "sso-providers" not in page.text

    def test_lets_the_sign_in_form_lead_to_the_provider(
        self, client, oidc_settings, openid_provider
    ):
        page = client.get(reverse("account_login"))
        form_action = next(
            part for part in page["Content-Security-Policy"].split(";") if "form-action" in part
        )
        assert openid_provider.issuer.removesuffix("/o") in form_action

    def test_shows_providers_added_in_the_admin(self, client):
        SocialApp.objects.create(
            provider="openid_connect",
            provider_id="campus",
            name="Campus Keycloak",
            client_id="fledge",
            settings={"server_url": "https://sso.campus.example/realms/staff"},
        )
        page = client.get(reverse("account_login"))
        assert "Sign in with Campus Keycloak" in page.text
        assert "https://sso.campus.example" in page["Content-Security-Policy"]

    def test_passes_next_on_to_the_provider_button(self, client, oidc_settings):
        page = client.get(reverse("account_login") + "?next=/catalog/")
        assert "next=%2Fcatalog%2F" in page.text


class TestFirstSignIn:
    def test_creates_the_account_joins_mapped_groups_and_assigns_training(
        self, client, oidc_settings, openid_provider, django_capture_on_commit_callbacks
    ):
        security = GroupFactory(name="Security awareness")
        requirement = TrainingRequirementFactory(
            name="Phishing refresher", audience_groups=[security]
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = sign_in(client, openid_provider, "ada")

        assert response.status_code == 302
        assert response["Location"] == reverse("learner:dashboard")
        user = signed_in_user(client)
        assert (user.username, user.email, user.first_name, user.last_name) == (
            "ada",
            "ada@example.org",
            "Ada",
            "Lovelace",
        )
        assert set(user.groups.values_list("name", flat=True)) == {"Security awareness", "Finance"}
        assert Assignment.objects.filter(user=user, requirement=requirement).exists()
        assert SocialAccount.objects.get(user=user).provider == OIDC_ID
        assert EmailAddress.objects.get(user=user).verified

    def test_unmapped_attributes_make_no_groups(self, client, oidc_settings, openid_provider):
        sign_in(client, openid_provider, "grace")
        assert not signed_in_user(client).groups.exists()


class TestProviderFromTheAdmin:
    def test_signs_in_like_one_from_the_environment(self, client, settings, openid_provider):
        settings.FLEDGE_SSO_GROUP_MAP = {"department:Finance": "Finance"}
        SocialApp.objects.create(
            provider="openid_connect",
            provider_id=OIDC_ID,
            name="Campus sign-in",
            client_id=CLIENT_ID,
            secret=CLIENT_SECRET,
            settings={"server_url": openid_provider.issuer},
        )
        response = sign_in(client, openid_provider, "ada")
        assert response["Location"] == reverse("learner:dashboard")
        assert list(signed_in_user(client).groups.values_list("name", flat=True)) == ["Finance"]


class TestReturningSignIn:
    def test_follows_the_directory_and_leaves_unmapped_groups_alone(
        self, oidc_settings, directory, django_capture_on_commit_callbacks
    ):
        requirement = TrainingRequirementFactory(
            audience_groups=[GroupFactory(name="Security awareness")]
        )
        with django_capture_on_commit_callbacks(execute=True):
            sign_in(Client(), directory, "ada")
        user = User.objects.get(username="ada")
        user.groups.add(Group.objects.get(name="Instructors"))
        directory.set_claims("ada", groups=["all-staff"], department="Engineering")

        with django_capture_on_commit_callbacks(execute=True):
            second = Client()
            sign_in(second, directory, "ada")

        assert signed_in_user(second) == user
        assert set(user.groups.values_list("name", flat=True)) == {"Instructors"}
        # Leaving the audience closes the open cycle as no longer required.
        assert Assignment.objects.get(user=user, requirement=requirement).closed_on is not None

    def test_is_matched_by_subject_when_the_email_changes(self, oidc_settings, directory):
        sign_in(Client(), directory, "ada")
        directory.set_claims("ada", email="ada.lovelace@example.org")
        second = Client()
        sign_in(second, directory, "ada")
        assert signed_in_user(second).username == "ada"
        assert User.objects.count() == 1


class TestExistingLocalAccount:
    def test_is_not_taken_over_by_an_email_claim(self, client, oidc_settings, openid_provider):
        local = UserFactory(username="ada.local", email="ada@example.org")
        EmailAddress.objects.create(user=local, email=local.email, verified=True, primary=True)

        response = sign_in(client, openid_provider, "ada")

        assert response.status_code == 200
        assert "An account with your email address already exists" in response.text
        assert "?next=/accounts/3rdparty/" in response.text
        assert signed_in_user(client) is None
        assert not SocialAccount.objects.exists()

    def test_without_passwords_the_page_points_to_the_administrators(
        self, client, oidc_settings, openid_provider
    ):
        oidc_settings.FLEDGE_LOCAL_PASSWORDS = False
        UserFactory(username="ada.local", email="ada@example.org")
        response = sign_in(client, openid_provider, "ada")
        assert "ask the site's administrators" in response.text
        assert signed_in_user(client) is None

    def test_is_connected_after_its_owner_signs_in_with_the_password(
        self, client, oidc_settings, openid_provider
    ):
        local = UserFactory(username="ada.local", email="ada@example.org")
        signed_in = client.post(
            reverse("account_login"), {"login": "ada.local", "password": LOCAL_PASSWORD}
        )
        assert signed_in.status_code == 302

        url = authorize(openid_provider, start(client, process="connect"), "ada")
        response = callback(client, url)

        assert response.status_code == 302
        account = SocialAccount.objects.get(provider=OIDC_ID)
        assert account.user == local
        assert set(local.groups.values_list("name", flat=True)) == {"Security awareness", "Finance"}
        # Later sign-ins through the provider reach the same account.
        again = Client()
        sign_in(again, openid_provider, "ada")
        assert signed_in_user(again) == local

    def test_email_authentication_matches_a_verified_address(
        self, client, oidc_settings, openid_provider
    ):
        oidc_settings.SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
        local = UserFactory(username="ada.local", email="ada@example.org")

        sign_in(client, openid_provider, "ada")

        assert signed_in_user(client) == local

    def test_email_authentication_never_matches_an_unverified_address(
        self, client, oidc_settings, openid_provider
    ):
        oidc_settings.SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
        local = UserFactory(username="eve.local", email="eve@example.org")

        sign_in(client, openid_provider, "eve")

        assert signed_in_user(client) != local
        assert not SocialAccount.objects.filter(user=local).exists()
        local.refresh_from_db()
        assert local.has_usable_password()


class TestAccountCreation:
    def test_can_be_switched_off(self, client, oidc_settings, openid_provider):
        oidc_settings.FLEDGE_SSO_CREATE_ACCOUNTS = False
        response = sign_in(client, openid_provider, "ada")
        assert response.status_code == 200
        assert signed_in_user(client) is None
        assert not User.objects.exists()

    def test_does_not_depend_on_password_sign_up(self, client, oidc_settings, openid_provider):
        oidc_settings.FLEDGE_ALLOW_SIGNUP = False
        sign_in(client, openid_provider, "ada")
        assert signed_in_user(client).username == "ada"
