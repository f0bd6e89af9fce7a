"""The account page's API tokens: create (shown once), revoke (idempotent, own only)."""

import pytest

from api.models import AccessToken
from api.services import access_token_create
from tests.learner.factories import UserFactory


@pytest.mark.django_db
class TestAccessTokenPages:
    def test_create_shows_the_token_once(self, client, learner):
        client.force_login(learner)
        response = client.post("/accounts/tokens/", {"name": "CI", "scopes": ["read"]})
        assert response.status_code == 200
        token = AccessToken.objects.get(user=learner)
        secret = response.context["secret"]
        assert secret.startswith(token.prefix) and secret.encode() in response.content
        assert secret.encode() not in client.get("/accounts/tokens/").content

    def test_revoke_is_idempotent(self, client, learner, token):
        client.force_login(learner)
        url = f"/accounts/tokens/{token[0].pk}/revoke/"
        assert client.post(url).status_code == 302
        assert client.post(url).status_code == 302
        token[0].refresh_from_db()
        assert token[0].revoked_at is not None

    def test_another_persons_token_is_404(self, client, learner):
        other, _ = access_token_create(user=UserFactory(username="olga"), name="X", scopes=["read"])
        client.force_login(learner)
        assert client.post(f"/accounts/tokens/{other.pk}/revoke/").status_code == 404
        other.refresh_from_db()
        assert other.revoked_at is None
