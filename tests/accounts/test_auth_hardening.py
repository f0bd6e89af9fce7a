"""Sign-in hardening: throttled failures with one answer for unknown users and wrong
passwords, a fresh session key at sign-in, password rules, and other sessions signed
out when a password changes."""

import re
from datetime import timedelta
from urllib.parse import unquote

from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

import pytest
from axes.models import AccessAttempt

from accounts.security import client_ip

User = get_user_model()
PASSWORD = "a-long-passphrase-42"
pytestmark = pytest.mark.django_db


@pytest.fixture
def learner(db):
    return User.objects.create_user("lena", "lena@example.com", PASSWORD)


def sign_in(client, username, password, url=None):
    return client.post(url or reverse("account_login"), {"login": username, "password": password})


def page_text(response, username) -> str:
    """The page without the parts that differ on every response or echo the input."""
    text = response.content.decode().replace(username, "USERNAME")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)


class TestSameAnswerForUnknownUsersAndWrongPasswords:
    def test_a_failure_looks_the_same_either_way(self, client, learner):
        wrong = sign_in(client, "lena", "not-it")
        unknown = sign_in(client, "nobody-here", "not-it")
        assert wrong.status_code == unknown.status_code == 200
        assert page_text(wrong, "lena") == page_text(unknown, "nobody-here")
        assert "did not match" in wrong.content.decode()

    def test_lockout_looks_the_same_either_way(self, client, learner, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, "lena", "not-it")
            sign_in(client, "nobody-here", "not-it")
        wrong = sign_in(client, "lena", "not-it")
        unknown = sign_in(client, "nobody-here", "not-it")
        assert wrong.status_code == unknown.status_code == 429
        assert page_text(wrong, "lena") == page_text(unknown, "nobody-here")


class TestThrottling:
    def test_locked_out_after_the_limit_even_with_the_right_password(
        self, client, learner, settings
    ):
        for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            assert sign_in(client, "lena", f"guess-{attempt}").status_code == 200
        locked = sign_in(client, "lena", "last-guess")
        assert locked.status_code == 429
        assert "Too many sign-in attempts" in locked.content.decode()
        assert "15 minutes" in locked.content.decode()
        right = sign_in(client, "lena", PASSWORD)
        assert right.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_other_people_on_the_same_network_can_still_sign_in(self, client, learner, settings):
        User.objects.create_user("olaf", "olaf@example.com", PASSWORD)
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, "lena", "not-it")
        assert sign_in(client, "olaf", PASSWORD).status_code == 302

    def test_the_lock_lifts_after_the_cool_off(self, client, learner, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            sign_in(client, "lena", "not-it")
        assert sign_in(client, "lena", PASSWORD).status_code == 429
        AccessAttempt.objects.update(
            attempt_time=AccessAttempt.objects.get().attempt_time
            - settings.AXES_COOLOFF_TIME
            - timedelta(seconds=1)
        )
        assert sign_in(client, "lena", PASSWORD).status_code == 302

    def test_a_successful_sign_in_resets_the_count(self, client, learner, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            sign_in(client, "lena", "not-it")
        assert sign_in(client, "lena", PASSWORD).status_code == 302
        client.post(reverse("account_logout"))
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert sign_in(client, "lena", "not-it").status_code == 200

    def test_the_admins_sign_in_on_this_throttled_page(self, client):
        # Neither admin has a password form of its own: both send people here.
        for admin_url, next_url in [
            (reverse("wagtailadmin_login"), reverse("wagtailadmin_home")),
            (reverse("admin:login"), reverse("admin:login")),
        ]:
            response = client.get(admin_url)
            assert response.status_code == 302
            assert unquote(response["Location"]) == f"{reverse('account_login')}?next={next_url}"
            assert client.post(admin_url, {"username": "root", "password": "x"}).status_code in (
                302,
                405,
            )

    def test_an_email_address_counts_against_the_same_limit(self, client, learner, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            sign_in(client, "LENA@example.com", "not-it")
        assert sign_in(client, "lena@example.com", "not-it").status_code == 429

    @override_settings(BEHIND_PROXY=True)
    def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(self):
        request = RequestFactory().get(
            "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
        )
        assert client_ip(request) == "203.0.113.9"

    def test_without_a_proxy_forwarded_headers_are_ignored(self):
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6")
        assert client_ip(request) == "10.0.0.2"


class TestSessions:
    def test_signing_in_rotates_the_session_key(self, client, learner):
        client.get(reverse("account_login"))
        session = client.session
        session["before"] = "sign-in"
        session.save()
        before = session.session_key
        assert sign_in(client, "lena", PASSWORD).status_code == 302
        assert client.session.session_key != before

    def test_changing_the_password_signs_out_other_sessions_only(self, learner):
        here, elsewhere = Client(), Client()
        for browser in (here, elsewhere):
            assert sign_in(browser, "lena", PASSWORD).status_code == 302
        response = here.post(
            reverse("account_change_password"),
            {
                "oldpassword": PASSWORD,
                "password1": "a-brand-new-phrase-99",
                "password2": "a-brand-new-phrase-99",
            },
        )
        assert response.status_code == 302
        assert here.get(reverse("learner:dashboard")).status_code == 200
        stale = elsewhere.get(reverse("learner:dashboard"))
        assert stale.status_code == 302
        assert stale["Location"].startswith(reverse("account_login"))


class TestPasswordRules:
    @pytest.mark.parametrize(
        ("password", "message"),
        [
            ("short1!", "too short"),
            ("password123", "too common"),
            ("4815162342", "entirely numeric"),
        ],
    )
    def test_signup_refuses_weak_passwords(self, client, password, message):
        response = client.post(
            reverse("account_signup"),
            {
                "username": "newbie",
                "email": "newbie@example.com",
                "first_name": "New",
                "last_name": "Bie",
                "password1": password,
                "password2": password,
            },
        )
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not User.objects.filter(username="newbie").exists()
