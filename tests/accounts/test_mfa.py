"""MFA for staff (accounts.mfa): anyone who can reach an admin must set up a second
factor before any admin page loads, and show it at every sign-in; learners may, and are
never made to. Codes are computed with pyotp, as an authenticator app would."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP

from accounts.demo import COMPLIANCE_ADMINS, INSTRUCTORS, REVIEWERS
from accounts.mfa import MFA_SESSION_KEY, idp_asserted_mfa, mfa_required, satisfy_mfa_from_idp

User = get_user_model()
PASSWORD = "a-long-passphrase-42"
pytestmark = [pytest.mark.django_db, pytest.mark.mfa_unproven]


def member(username: str, group: str | None = None, **flags) -> User:
    user = User.objects.create_user(username, f"{username}@example.com", PASSWORD, **flags)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def instructor(db):
    return member("ines", INSTRUCTORS)


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": username, "password": password, **extra})


def enrol_totp(client: Client) -> str:
    """Set up an authenticator app through the pages; return its secret."""
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    return secret


def given_totp(user) -> str:
    """An authenticator app set up earlier (not in this session); its secret."""
    secret = pyotp.random_base32()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def recovery_codes(user) -> list[str]:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    return RecoveryCodes(authenticator).get_unused_codes()


def answer_mfa(client: Client, code: str):
    return client.post(reverse("mfa_authenticate"), {"code": code})


class TestWhoMustUseMFA:
    @pytest.mark.parametrize("group", [INSTRUCTORS, REVIEWERS, COMPLIANCE_ADMINS])
    def test_every_staff_group_must(self, group):
        assert mfa_required(member("sam", group))

    def test_superusers_and_django_admin_staff_must(self):
        assert mfa_required(member("root", is_superuser=True, is_staff=True))
        assert mfa_required(member("ops", is_staff=True))

    def test_anyone_given_admin_access_must(self):
        manager = member("morgan")
        manager.user_permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        assert mfa_required(User.objects.get(pk=manager.pk))

    def test_learners_need_not(self):
        assert not mfa_required(member("lena"))

    def test_the_rule_can_be_switched_off(self, settings, instructor):
        settings.FLEDGE_MFA_REQUIRED_FOR_STAFF = False
        assert not mfa_required(instructor)


class TestStaffWithoutAFactor:
    def test_the_admin_sends_them_to_set_up_an_authenticator_app(self, client, instructor):
        assert sign_in(client, "ines")["Location"] == reverse("learner:dashboard")
        for path in [reverse("wagtailadmin_home"), reverse("wagtailadmin_explore_root")]:
            response = client.get(path)
            assert response.status_code == 302
            assert (
                response["Location"]
                == f"{reverse('mfa_activate_totp')}?next={path.replace('/', '%2F')}"
            )
        page = client.get(reverse("mfa_activate_totp"))
        assert page.status_code == 200
        assert b"Staff accounts need a second factor" in page.content
        assert b"Set up an authenticator app" in page.content

    def test_the_django_admin_too(self, client):
        member("root", is_superuser=True, is_staff=True)
        sign_in(client, "root")
        response = client.get(reverse("admin:index"))
        assert response["Location"].startswith(reverse("mfa_activate_totp"))

    def test_after_enrolment_the_admin_opens(self, client, instructor):
        sign_in(client, "ines")
        enrol_totp(client)
        codes_page = client.get(reverse("mfa_view_recovery_codes"))
        assert b"Continue to the admin" in codes_page.content
        assert client.get(reverse("wagtailadmin_home")).status_code == 200

    def test_a_wrong_code_sets_nothing_up(self, client, instructor):
        sign_in(client, "ines")
        client.get(reverse("mfa_activate_totp"))
        response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
        assert response.status_code == 200
        assert b"Incorrect code" in response.content
        assert not Authenticator.objects.filter(user=instructor).exists()
        assert client.get(reverse("wagtailadmin_home")).status_code == 302

    def test_signing_out_stays_open(self, client, instructor):
        sign_in(client, "ines")
        assert client.post(reverse("wagtailadmin_logout")).status_code == 302
        assert "_auth_user_id" not in client.session


class TestSigningInWithAFactor:
    def test_the_next_sign_in_asks_for_the_code(self, client, instructor):
        sign_in(client, "ines")
        secret = enrol_totp(client)
        client.post(reverse("account_logout"))

        response = sign_in(client, "ines", next="/admin/")
        assert response["Location"] == reverse("mfa_authenticate")
        assert "_auth_user_id" not in client.session  # not signed in before the code
        assert client.get(reverse("wagtailadmin_home")).status_code == 302

        assert answer_mfa(client, "123456").status_code == 200  # refused, asked again
        response = answer_mfa(client, pyotp.TOTP(secret).now())
        assert response["Location"] == "/admin/"
        assert client.get(reverse("wagtailadmin_home")).status_code == 200

    def test_a_code_works_once(self, instructor):
        secret = given_totp(instructor)
        first, second = Client(), Client()
        code = pyotp.TOTP(secret).now()
        sign_in(first, "ines")
        assert answer_mfa(first, code).status_code == 302
        sign_in(second, "ines")
        assert answer_mfa(second, code).status_code == 200
        assert "_auth_user_id" not in second.session

    def test_recovery_codes_work_once_each(self, instructor):
        given_totp(instructor)
        first_code, second_code = recovery_codes(instructor)[:2]

        browser = Client()
        sign_in(browser, "ines")
        assert answer_mfa(browser, first_code).status_code == 302
        assert browser.get(reverse("wagtailadmin_home")).status_code == 200
        assert first_code not in recovery_codes(instructor)

        again = Client()
        sign_in(again, "ines")
        response = answer_mfa(again, first_code)
        assert response.status_code == 200
        assert b"Incorrect code" in response.content
        assert answer_mfa(again, second_code).status_code == 302
        assert again.get(reverse("wagtailadmin_home")).status_code == 200

    def test_a_session_that_has_not_shown_the_factor_must(self, client, instructor):
        # A session from before the factor was required (here: a bare force_login).
        secret = given_totp(instructor)
        client.force_login(instructor)
        response = client.get(reverse("wagtailadmin_home"))
        assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2F"
        response = client.post(
            f"{reverse('mfa_reauthenticate')}?next=/admin/", {"code": pyotp.TOTP(secret).now()}
        )
        assert response["Location"] == "/admin/"
        assert client.get(reverse("wagtailadmin_home")).status_code == 200


class TestLearners:
    def test_are_never_sent_to_set_up_a_factor(self, client):
        member("lena")
        sign_in(client, "lena")
        assert client.get(reverse("learner:dashboard")).status_code == 200
        assert client.get(reverse("account_overview")).status_code == 200
        admin = client.get(reverse("wagtailadmin_home"))
        assert reverse("mfa_activate_totp") not in admin.get("Location", "")

    def test_may_turn_mfa_on_and_are_then_asked_for_it(self, client):
        member("lena")
        sign_in(client, "lena")
        overview = client.get(reverse("account_overview")).content.decode()
        assert "Manage two-factor authentication" in overview
        secret = enrol_totp(client)
        client.post(reverse("account_logout"))
        assert sign_in(client, "lena")["Location"] == reverse("mfa_authenticate")
        assert answer_mfa(client, pyotp.TOTP(secret).now())["Location"] == reverse(
            "learner:dashboard"
        )


class TestIdentityProviderMFA:
    @pytest.mark.parametrize(
        ("amr", "acr", "counts"),
        [
            (["pwd"], None, False),
            (["pwd", "mfa"], None, True),
            (["otp"], None, True),
            ("hwk", None, True),
            (None, "http://schemas.openid.net/pape/policies/2007/06/multi-factor", True),
            (None, "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport", False),
        ],
    )
    def test_which_claims_count(self, amr, acr, counts):
        assert idp_asserted_mfa(amr=amr, acr=acr) is counts

    def test_an_asserted_mfa_opens_the_admin(self, rf, client, instructor, settings):
        client.force_login(instructor)  # as the single sign-on would
        request = rf.get("/")
        request.user = instructor
        request.session = client.session
        assert not satisfy_mfa_from_idp(request, amr=["pwd"])
        assert satisfy_mfa_from_idp(request, amr=["pwd", "mfa"])
        request.session.save()
        assert client.get(reverse("wagtailadmin_home")).status_code == 200
        assert client.session[MFA_SESSION_KEY]["method"] == "idp"

    def test_not_when_the_provider_is_not_trusted_for_it(self, rf, instructor, settings):
        settings.FLEDGE_MFA_TRUST_IDP = False
        request = rf.get("/")
        request.user = instructor
        request.session = Client().session
        assert not satisfy_mfa_from_idp(request, amr=["mfa"])
        assert MFA_SESSION_KEY not in request.session

    def test_the_mark_belongs_to_the_person_it_was_made_for(self, client, instructor):
        client.force_login(instructor)
        session = client.session
        session[MFA_SESSION_KEY] = {"user": str(instructor.pk + 1000), "method": "idp", "at": 0}
        session.save()
        assert client.get(reverse("wagtailadmin_home")).status_code == 302


def test_the_switch_off_lets_staff_in_without_a_factor(client, instructor, settings):
    settings.FLEDGE_MFA_REQUIRED_FOR_STAFF = False
    sign_in(client, "ines")
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_the_set_up_page_shows_a_scannable_code_and_the_secret(client, instructor):
    sign_in(client, "ines")
    html = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = client.session[SECRET_SESSION_KEY]
    assert re.search(r'<img class="account__qr" src="data:image/svg\+xml;base64,', html)
    assert f'value="{secret}"' in html
