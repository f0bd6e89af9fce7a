"""``FLEDGE_LOCAL_PASSWORDS=0``: an institution that signs everyone in through its
identity provider turns local passwords off for everyone but superusers."""

import re

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape

import pytest

from accounts.forms import LOCAL_PASSWORDS_OFF

User = get_user_model()
PASSWORD = "a-long-passphrase-42"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_passwords_off(settings):
    settings.FLEDGE_LOCAL_PASSWORDS = False


@pytest.fixture
def learner(db):
    return User.objects.create_user("lena", "lena@example.com", PASSWORD)


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": username, "password": password})


def page_text(response, username) -> str:
    text = response.content.decode().replace(username, "USERNAME")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)


class TestTheSignInPage:
    def test_offers_single_sign_on_and_folds_the_password_form_away(self, client):
        html = client.get(reverse("account_login")).content.decode()
        assert "Administrator sign-in with a password" in html
        assert "<details" in html
        assert "Forgotten your password?" not in html
        assert 'href="/accounts/signup/"' not in html  # neither on the page nor in the header

    def test_with_local_passwords_on_the_form_is_open(self, client, settings):
        settings.FLEDGE_LOCAL_PASSWORDS = True
        html = client.get(reverse("account_login")).content.decode()
        assert "<details" not in html
        assert "Forgotten your password?" in html


class TestPasswordSignIn:
    def test_is_refused_to_everyone_but_superusers(self, client, learner):
        response = sign_in(client, "lena")
        assert response.status_code == 200
        assert escape(LOCAL_PASSWORDS_OFF) in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_a_right_and_a_wrong_password_get_the_same_answer(self, client, learner):
        User.objects.create_user("olaf", "olaf@example.com", PASSWORD)
        right = sign_in(client, "lena")
        wrong = sign_in(client, "olaf", "not-it")
        assert page_text(right, "lena") == page_text(wrong, "olaf")

    def test_superusers_still_sign_in_with_a_password(self, client):
        User.objects.create_superuser("root", "root@example.com", PASSWORD)
        response = sign_in(client, "root")
        assert response.status_code == 302
        assert response.wsgi_request.user.username == "root"

    def test_the_failures_still_count_towards_the_lockout(self, client, learner, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            sign_in(client, "lena", "not-it")
        assert sign_in(client, "lena", "not-it").status_code == 429


class TestPasswordResetAndSignUp:
    @pytest.mark.parametrize(
        "url",
        [
            reverse("account_reset_password"),
            reverse("account_reset_password_done"),
            reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "abc"}),
            reverse("account_reset_password_from_key_done"),
            reverse("account_signup"),
        ],
    )
    def test_are_switched_off(self, client, url):
        assert client.get(url).status_code == 404
        assert client.post(url, {"email": "lena@example.com"}).status_code == 404

    def test_the_account_page_offers_no_password_change(self, client, learner):
        client.force_login(learner)
        html = client.get(reverse("account_overview")).content.decode()
        assert "Change your password" not in html
