"""Single sign-on while Redis is down: the ID token's replay mark (allauth keeps it in
the cache under ``jwt:``) cannot be stored, and the sign-in goes on rather than being
refused as a replay (``FLEDGE_CACHE_ADD_FAILS_OPEN``). The authorization code stays
single-use at the provider (``test_oidc_refusals``), outage or not."""

from django.test import Client
from django.urls import reverse

import pytest

from tests.faults.conftest import redis_cache, redis_proxy, redis_server  # noqa: F401
from tests.identity.oidc_flow import authorize, callback, start

pytestmark = pytest.mark.django_db


def test_signing_in_through_the_provider_works_while_redis_is_down(
    redis_cache,  # noqa: F811
    oidc_settings,
    openid_provider,
):
    client = Client()
    with redis_cache.outage():
        callback_url = authorize(openid_provider, start(client), "ada")
        answered = callback(client, callback_url)

        assert answered.status_code == 302
        assert answered["Location"] == reverse("learner:dashboard")
        assert client.get("/dashboard/").wsgi_request.user.username == "ada"
