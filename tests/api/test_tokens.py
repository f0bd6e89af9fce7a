"""Personal access tokens: stored hashed, shown once, revoked at once, scoped."""

from datetime import timedelta

from django.utils import timezone

import pytest
from rest_framework.test import APIClient

from accounts.models import hash_token
from api.models import AccessToken
from api.services import access_token_authenticate, access_token_create, access_token_revoke
from audit.models import AuditEntry
from base.errors import FledgeError

ME = "/api/v1/me/"


@pytest.mark.django_db
class TestAccessTokenCreate:
    def test_token_is_stored_hashed_and_returned_once(self, learner):
        token, secret = access_token_create(user=learner, name="CI", scopes=["read"])
        row = AccessToken.objects.get(pk=token.pk)
        assert row.token_hash == hash_token(secret)
        assert secret not in {row.token_hash, row.prefix, row.name}
        assert secret.startswith(row.prefix)

    def test_unknown_scope_is_refused(self, learner):
        with pytest.raises(FledgeError):
            access_token_create(user=learner, name="CI", scopes=["root"])

    def test_creation_and_revocation_are_audited_without_names(self, learner):
        token, _ = access_token_create(user=learner, name="Secret name", scopes=["read"])
        access_token_revoke(token=token)
        actions = list(AuditEntry.objects.order_by("pk").values_list("action", "payload"))
        assert [a for a, _ in actions][-2:] == [
            "fledge.api.token_create",
            "fledge.api.token_revoke",
        ]
        assert all("Secret name" not in str(payload) for _, payload in actions)

    def test_revocation_is_idempotent(self, token):
        assert access_token_revoke(token=token[0]) is True
        assert access_token_revoke(token=token[0]) is False


@pytest.mark.django_db
class TestBearerAuthentication:
    def test_me_without_token_is_401_problem_json(self):
        response = APIClient().get(ME)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 401
        assert response["WWW-Authenticate"].startswith("Bearer")

    def test_me_with_token_is_200(self, client_with_token, learner):
        response = client_with_token.get(ME)
        assert response.status_code == 200
        assert response.json()["profile"]["username"] == learner.username

    def test_revoked_token_is_refused_at_once(self, client_with_token, token):
        assert client_with_token.get(ME).status_code == 200
        access_token_revoke(token=token[0])
        response = client_with_token.get(ME)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"

    def test_expired_token_is_refused(self, client_with_token, token):
        AccessToken.objects.filter(pk=token[0].pk).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
        assert client_with_token.get(ME).status_code == 401

    def test_unknown_token_is_refused(self):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Bearer fapi_nosuchtokenatall")
        assert client.get(ME).status_code == 401

    def test_wrong_scope_is_403(self, learner):
        _, secret = access_token_create(user=learner, name="Learn", scopes=["learn"])
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        response = client.get(ME)
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"

    def test_last_used_is_written_at_most_once_a_minute(self, token):
        _, secret = token
        first = access_token_authenticate(secret=secret).last_used_at
        assert access_token_authenticate(secret=secret).last_used_at == first
        AccessToken.objects.filter(pk=token[0].pk).update(last_used_at=first - timedelta(minutes=2))
        assert access_token_authenticate(secret=secret).last_used_at > first - timedelta(minutes=1)
