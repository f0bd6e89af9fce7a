"""Tokens of other accounts in the admin (service accounts), and a double submit of
either token form making one token."""

import re
from html import unescape

from django.contrib.auth import get_user_model

import pytest
from rest_framework.test import APIClient

from api.models import AccessToken
from audit.models import AuditEntry
from tests.learner.factories import UserFactory, member_of

pytestmark = pytest.mark.django_db

ADMIN_TOKENS = "/admin/api-tokens/"
SECRET = re.compile(r"fapi_[A-Za-z0-9_-]{20,}")


@pytest.fixture
def root(client, catalog):
    user = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(user)
    return user


@pytest.fixture
def service_account(db):
    return UserFactory(username="hr-sync", first_name="HR", last_name="Sync")


def form_key(page: str) -> str:
    return re.search(r'name="form_key" value="([^"]+)"', page).group(1)


def create(client, url: str, **fields):
    page = client.get(url).content.decode()
    data = {"name": "HR system", "scopes": ["read"], "form_key": form_key(page), **fields}
    return client.post(url, data)


def me_as(secret: str):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return api.get("/api/v1/me/")


class TestServiceTokens:
    def test_an_admin_makes_a_token_that_acts_as_the_service_account(
        self, client, root, service_account
    ):
        response = create(client, ADMIN_TOKENS, username="HR-SYNC", scopes=["read", "admin"])
        assert response.status_code == 200
        secret = SECRET.search(response.content.decode()).group(0)
        token = AccessToken.objects.get()
        assert (token.user, token.scopes, token.name) == (
            service_account,
            ["read", "admin"],
            "HR system",
        )
        answer = me_as(secret)
        assert answer.status_code == 200
        assert answer.json()["profile"]["username"] == "hr-sync"
        listing = client.get(ADMIN_TOKENS).content.decode()
        assert secret not in listing and token.prefix in listing and "hr-sync" in listing
        entry = AuditEntry.objects.filter(action="fledge.api.token_create").get()
        assert entry.actor_id == root.pk

    def test_revoking_stops_the_token_at_once(self, client, root, service_account):
        secret = SECRET.search(create(client, ADMIN_TOKENS, username="hr-sync").content.decode())[0]
        assert me_as(secret).status_code == 200
        token = AccessToken.objects.get()
        response = client.post(f"{ADMIN_TOKENS}{token.pk}/revoke/", follow=True)
        assert "revoked" in unescape(response.content.decode())
        assert me_as(secret).status_code == 401

    def test_an_unknown_or_deactivated_account_is_a_form_error(self, client, root):
        response = create(client, ADMIN_TOKENS, username="nobody")
        assert response.status_code == 400
        assert "No account is named “nobody”" in unescape(response.content.decode())
        UserFactory(username="gone", is_active=False)
        response = create(client, ADMIN_TOKENS, username="gone")
        assert response.status_code == 400
        assert not AccessToken.objects.exists()

    def test_only_superusers_by_default(self, client, catalog, service_account):
        for group in ("Compliance admins", "Data protection officers", "Instructors"):
            client.force_login(member_of(group, f"member-{len(group)}"))
            refused = client.get(ADMIN_TOKENS)  # Wagtail: back to the dashboard, with why
            assert refused.status_code == 302 and refused["Location"] == "/admin/"
            assert ADMIN_TOKENS not in client.get("/admin/").content.decode()
            token = AccessToken.objects.create(
                user=service_account, name="x", prefix="fapi_x", token_hash="h"
            )
            assert client.post(f"{ADMIN_TOKENS}{token.pk}/revoke/")["Location"] == "/admin/"
            token.refresh_from_db()
            assert token.revoked_at is None
            token.delete()

    def test_the_settings_menu_leads_here(self, client, root):
        assert ADMIN_TOKENS in client.get("/admin/").content.decode()


class TestDoubleSubmit:
    @pytest.mark.parametrize("url", ["/accounts/tokens/", ADMIN_TOKENS])
    def test_the_same_form_twice_makes_one_token(self, client, root, service_account, url):
        page = client.get(url).content.decode()
        data = {
            "name": "Twice",
            "scopes": ["read"],
            "form_key": form_key(page),
            "username": "hr-sync",
        }
        first = client.post(url, data)
        assert SECRET.search(first.content.decode())
        second = client.post(url, data, follow=True)
        assert second.status_code == 409
        assert "already created its token" in unescape(second.content.decode())
        assert AccessToken.objects.count() == 1
        # The answer offers a fresh form, which makes a new token.
        third = client.post(url, {**data, "form_key": form_key(second.content.decode())})
        assert SECRET.search(third.content.decode())
        assert AccessToken.objects.count() == 2
