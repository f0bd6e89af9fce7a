"""Fixtures for the identity tests: the protocol partners (a real OpenID provider
process, a SAML identity provider's signing keys) and Fledge configured to use them.

The browser fixtures are the e2e suite's (``tests/e2e/conftest.py``): a test using
them skips, with the reason, when Chromium is missing (and fails in CI).
"""

import copy

from django.test import Client

import pytest

from config.settings.sso import oidc_apps, saml_apps
from tests.e2e.conftest import browser, chromium_executable, new_page  # noqa: F401
from tests.identity.partners.directory import GROUP_MAP, people
from tests.identity.partners.oidc import OpenIDProvider
from tests.identity.partners.saml_idp import SAMLIdentityProvider

#: The OpenID provider's id in Fledge (its URLs: /accounts/oidc/<id>/...).
OIDC_ID = "test-idp"
OIDC_NAME = "Test OpenID provider"
OIDC_CALLBACK = f"/accounts/oidc/{OIDC_ID}/login/callback/"
CLIENT_ID = "fledge"
CLIENT_SECRET = "fledge-client-secret"  # noqa: S105 - the test provider's only client
#: The SAML identity provider's slug in Fledge (its URLs: /accounts/saml/<slug>/...).
SAML_ID = "test-saml"
SAML_NAME = "Test SAML provider"
#: The host the SAML tests' client uses: python3-saml accepts "localhost", not the
#: test client's single-label "testserver".
SAML_HOST = "localhost"


@pytest.fixture(scope="session")
def openid_provider(tmp_path_factory):
    """The test OpenID provider, one process for the whole run; it accepts Fledge's
    callback on the test client's host and on any loopback port (the live server)."""
    provider = OpenIDProvider(
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uris=[
            f"http://testserver{OIDC_CALLBACK}",
            f"http://localhost{OIDC_CALLBACK}",
            f"http://127.0.0.1{OIDC_CALLBACK}",
        ],
        people=people(),
        state_dir=tmp_path_factory.mktemp("openid-provider"),
    )
    provider.start()
    yield provider
    provider.stop()


@pytest.fixture
def directory(openid_provider):
    """The provider's people, put back as they were after a test that changed them."""
    yield openid_provider
    openid_provider.set_people(people())


@pytest.fixture
def oidc_settings(settings, openid_provider):
    """Fledge with the test OpenID provider configured (as FLEDGE_OIDC_PROVIDERS would
    configure it) and the tests' group map."""
    providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
    providers["openid_connect"]["APPS"] = oidc_apps(
        [
            {
                "id": OIDC_ID,
                "name": OIDC_NAME,
                "server_url": openid_provider.issuer,
                "client_id": CLIENT_ID,
                "secret": CLIENT_SECRET,
            }
        ]
    )
    settings.SOCIALACCOUNT_PROVIDERS = providers
    settings.FLEDGE_SSO_GROUP_MAP = GROUP_MAP
    return settings


@pytest.fixture(scope="session")
def saml_idp() -> SAMLIdentityProvider:
    """A SAML identity provider with a key pair made for this run."""
    return SAMLIdentityProvider.create()


@pytest.fixture
def saml_settings(settings, saml_idp):
    """Fledge with the test SAML identity provider configured (as FLEDGE_SAML_PROVIDERS
    would configure it: entity id, single sign-on URL, certificate) and the group map;
    the provider vouches for addresses at example.org."""
    providers = copy.deepcopy(settings.SOCIALACCOUNT_PROVIDERS)
    providers["saml"]["APPS"] = saml_apps(
        [
            {
                "id": SAML_ID,
                "name": SAML_NAME,
                "entity_id": saml_idp.entity_id,
                "sso_url": saml_idp.sso_url,
                "x509cert": saml_idp.x509cert,
                "verified_email": ["example.org"],
            }
        ]
    )
    settings.SOCIALACCOUNT_PROVIDERS = providers
    settings.FLEDGE_SSO_GROUP_MAP = GROUP_MAP
    return settings


@pytest.fixture
def saml_client() -> Client:
    return Client(HTTP_HOST=SAML_HOST)
