"""Fixtures for the API tests: a learner with a token, and an API client."""

import pytest
from rest_framework.test import APIClient

from api.services import access_token_create
from tests.learner.factories import UserFactory


@pytest.fixture
def learner(db):
    return UserFactory(username="lena")


@pytest.fixture
def token(learner):
    """A ``read`` token of the learner: (row, secret)."""
    return access_token_create(user=learner, name="Phone app", scopes=["read"])


@pytest.fixture
def client_with_token(token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token[1]}")
    return client


@pytest.fixture
def bearer(db):
    """``bearer(user, "read", "learn")``: an API client with a new token of ``user`` with
    those scopes."""

    def client_for(user, *scopes: str) -> APIClient:
        _, secret = access_token_create(user=user, name="Test", scopes=list(scopes))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        return client

    return client_for
