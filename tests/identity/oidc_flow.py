"""The OpenID Connect sign-in as HTTP requests: Fledge through the Django test client,
the provider over real HTTP (``partners.oidc.sign_in_at_provider``)."""

from urllib.parse import parse_qs, urlencode, urlsplit

from tests.identity.conftest import OIDC_ID
from tests.identity.partners.directory import PASSWORD
from tests.identity.partners.oidc import sign_in_at_provider

LOGIN_URL = f"/accounts/oidc/{OIDC_ID}/login/"


def start(client, **params) -> str:
    """Press the provider's button (``process=connect`` to connect it to the signed-in
    account); return where Fledge sends the browser: the provider's authorize URL."""
    url = LOGIN_URL + (f"?{urlencode(params)}" if params else "")
    response = client.post(url)
    assert response.status_code == 302, response.content[:500]
    return response["Location"]


def authorize(provider, authorize_url: str, username: str) -> str:
    """The person signs in at the provider: the callback URL it sends them back to."""
    return sign_in_at_provider(provider, authorize_url, username=username, password=PASSWORD)


def callback(client, callback_url: str, **replace):
    """Follow the provider's redirect back to Fledge; ``replace`` swaps query values
    (``state=...``, ``code=...``) as an attacker would."""
    parts = urlsplit(callback_url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query.update(replace)
    return client.get(f"{parts.path}?{urlencode(query)}")


def sign_in(client, provider, username: str, **params):
    """The whole round trip; Fledge's answer to the callback."""
    return callback(client, authorize(provider, start(client, **params), username))


def query_value(url: str, name: str) -> str:
    return parse_qs(urlsplit(url).query)[name][0]
