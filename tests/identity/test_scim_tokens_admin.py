"""Settings → Provisioning tokens: superusers create a token (shown once, stored as a
hash) and revoke it; nobody else reaches the screen."""

import re

from django.test import Client
from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from accounts.models import ProvisioningToken
from tests.identity.scim_api import ScimClient, assert_scim_error
from tests.learner.factories import member_of

pytestmark = pytest.mark.django_db

INDEX = "provisioning_tokens:index"


def create_token(admin_client, name="Entra ID") -> str:
    response = admin_client.post(reverse("provisioning_tokens:add"), {"name": name})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    match = re.search(r'value="(fscim_[\w-]+)"', response.content.decode())
    assert match, "the new token is on the page"
    return match[1]


class TestSuperusers:
    def test_a_created_token_is_shown_once_and_works(self, admin_client):
        secret = create_token(admin_client)
        token = ProvisioningToken.objects.get()
        assert token.created_by.is_superuser
        listing = admin_client.get(reverse(INDEX))
        assert listing.status_code == 200
        assert "Entra ID" in listing.content.decode()
        assert "Revoke" in listing.content.decode()
        assert secret not in listing.content.decode()
        assert ScimClient(Client(), secret).get("ServiceProviderConfig").status_code == 200

    def test_revoking_stops_the_token_and_is_in_the_history(self, admin_client):
        secret = create_token(admin_client)
        token = ProvisioningToken.objects.get()
        url = reverse("provisioning_tokens:delete", args=[token.pk])
        assert "Yes, revoke" in admin_client.get(url).content.decode()
        assert admin_client.post(url).status_code == 302
        token.refresh_from_db()
        assert token.revoked_at is not None  # kept, for the record
        assert_scim_error(ScimClient(Client(), secret).get("Users"), 401)
        actions = set(ModelLogEntry.objects.values_list("action", flat=True))
        assert {"wagtail.create", "accounts.provisioning_token.revoke"} <= actions

    def test_a_name_is_required(self, admin_client):
        response = admin_client.post(reverse("provisioning_tokens:add"), {"name": ""})
        assert response.status_code == 200
        assert not ProvisioningToken.objects.exists()


class TestEveryoneElse:
    def test_a_compliance_admin_cannot_see_or_create_tokens(self, catalog):
        client = Client()
        client.force_login(member_of("Compliance admins", "cora"))
        for name in (INDEX, "provisioning_tokens:add"):
            response = client.get(reverse(name))
            assert response.status_code in (302, 403)
        client.post(reverse("provisioning_tokens:add"), {"name": "Mine"})
        assert not ProvisioningToken.objects.exists()

    def test_anonymous_visitors_are_sent_to_sign_in(self):
        response = Client().get(reverse(INDEX))
        assert response.status_code == 302
