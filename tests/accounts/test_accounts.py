"""Sign in, sign out, password reset and optional self sign-up."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

import pytest

User = get_user_model()


@pytest.fixture
def learner(db):
    return User.objects.create_user("lena", "lena@example.com", "a-long-passphrase-42")


@pytest.mark.django_db
class TestSignInAndOut:
    def test_sign_in_with_the_right_password(self, client, learner):
        response = client.post(
            reverse("account_login"), {"login": "lena", "password": "a-long-passphrase-42"}
        )
        assert response.status_code == 302
        assert response.wsgi_request.user.is_authenticated
        assert response["Location"] == reverse("learner:dashboard")  # "My learning"

    def test_sign_in_goes_on_to_next(self, client, learner):
        response = client.post(
            reverse("account_login") + "?next=/courses/",
            {"login": "lena", "password": "a-long-passphrase-42", "next": "/courses/"},
        )
        assert response["Location"] == "/courses/"

    def test_wrong_password_shows_a_message(self, client, learner):
        response = client.post(reverse("account_login"), {"login": "lena", "password": "nope"})
        assert response.status_code == 200
        assert b"did not match" in response.content
        assert not response.wsgi_request.user.is_authenticated

    def test_sign_out_needs_a_post(self, client, learner):
        client.force_login(learner)
        confirm = client.get(reverse("account_logout"))
        assert confirm.status_code == 200  # "Are you sure?", with the form that POSTs
        assert b'method="post"' in confirm.content
        assert "_auth_user_id" in client.session
        response = client.post(reverse("account_logout"))
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session

    def test_sign_in_with_the_email_address(self, client, learner):
        response = client.post(
            reverse("account_login"),
            {"login": "LENA@example.com", "password": "a-long-passphrase-42"},
        )
        assert response.status_code == 302
        assert response.wsgi_request.user == learner

    def test_login_page_is_accessible(self, client):
        html = client.get(reverse("account_login")).content.decode()
        assert 'href="#main"' in html  # skip link
        assert '<label for="id_login">' in html
        assert '<main id="main"' in html


@pytest.mark.django_db
class TestPasswordReset:
    def test_reset_email_link_lets_the_user_choose_a_new_password(self, client, learner):
        client.post(reverse("account_reset_password"), {"email": "lena@example.com"})
        assert len(mail.outbox) == 1
        link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
        link = link.group(1)
        form_page = client.get(link, follow=True)
        assert form_page.status_code == 200
        set_url = form_page.redirect_chain[-1][0]
        response = client.post(
            set_url, {"password1": "another-long-phrase-77", "password2": "another-long-phrase-77"}
        )
        assert response.status_code == 302
        learner.refresh_from_db()
        assert learner.check_password("another-long-phrase-77")

    def test_unknown_email_looks_the_same_and_sends_nothing(self, client, learner):
        response = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})
        assert response.status_code == 302
        assert mail.outbox == []

    def test_tampered_link_is_refused_politely(self, client, learner):
        response = client.get("/accounts/password/reset/key/1-bad-token/")
        assert response.status_code == 200
        assert b"This link no longer works" in response.content


@pytest.mark.django_db
class TestSignup:
    form = {
        "username": "newbie",
        "first_name": "Nia",
        "last_name": "Ode",
        "email": "nia@example.com",
        "password1": "sunlit-meadow-7391",
        "password2": "sunlit-meadow-7391",
    }

    def test_sign_up_creates_a_learner_and_signs_them_in(self, client):
        response = client.post(reverse("account_signup"), self.form)
        assert response.status_code == 302
        user = User.objects.get(username="newbie")
        assert not user.is_staff
        assert user.groups.count() == 0
        assert response.wsgi_request.user == user

    def test_weak_password_and_duplicate_email_are_refused(self, client, learner):
        data = {**self.form, "email": "LENA@example.com", "password1": "123", "password2": "123"}
        response = client.post(reverse("account_signup"), data)
        assert response.status_code == 400
        assert b"An account with this email address already exists." in response.content
        assert b"This password is too short" in response.content
        assert not User.objects.filter(username="newbie").exists()

    def test_sign_up_can_be_switched_off(self, client, settings):
        settings.FLEDGE_ALLOW_SIGNUP = False
        assert client.get(reverse("account_signup")).status_code == 404
        assert client.post(reverse("account_signup"), self.form).status_code == 404
        assert b"Sign up" not in client.get(reverse("account_login")).content
