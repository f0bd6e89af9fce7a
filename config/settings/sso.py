"""Single sign-on settings: OpenID Connect and SAML 2.0 identity providers
(django-allauth's ``openid_connect`` and ``saml`` providers), who a first sign-in
creates or matches, and which directory attributes make group memberships.

Star-imported at the end of ``config/settings/__init__.py``, after ``identity.py``
(which installs allauth and its social accounts app): it adds the two provider apps.

Providers come from the environment, one JSON list per protocol, or from the Django
admin (*Social applications*, allauth's ``SocialApp``, with the same keys in its
*Settings*); the sign-in page shows a button for each. Worked examples (Entra ID,
Keycloak, Okta) are in the README, "Single sign-on".

``FLEDGE_OIDC_PROVIDERS``: ``[{"id", "name", "server_url", "client_id", "secret",
...}]``. ``id`` is the provider's slug in Fledge's URLs
(``/accounts/oidc/<id>/login/callback/`` is the redirect URI to register); the
secret may instead be in ``FLEDGE_OIDC_SECRET_<ID>`` (the id upper-cased, ``-`` as
``_``). Every other key is the app's settings: allauth's (``scope``, ``uid_field``,
``fetch_userinfo``, ``token_auth_method``, ``verified_email``,
``email_authentication``, ``oauth_pkce_enabled``) and Fledge's (``claims``,
``group_map``, ``trust_mfa``: ``accounts.sso.logins``).

``FLEDGE_SAML_PROVIDERS``: ``[{"id", "name", "entity_id", "metadata_url" or
("sso_url", "x509cert"), ...}]``. ``entity_id`` is the identity provider's; Fledge's
own (its metadata URL, ``/accounts/saml/<id>/metadata/``, unless ``sp_entity_id``)
and its assertion consumer service (``/accounts/saml/<id>/acs/``) are what the
identity provider needs. Every other key is the app's settings: allauth's
(``attribute_mapping``, ``advanced``, ``verified_email``, ``email_authentication``),
merged over Fledge's defaults for every SAML app (``accounts.sso.providers``), and
Fledge's (``claims``, ``group_map``, ``trust_mfa``).
"""

import json
import re

from django.core.exceptions import ImproperlyConfigured

from . import INSTALLED_APPS, MIDDLEWARE
from .env import env_bool, env_str

INSTALLED_APPS = [
    *INSTALLED_APPS,
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
]
_CSP_MIDDLEWARE = "csp.middleware.CSPMiddleware"
MIDDLEWARE = [*MIDDLEWARE]
# Inside django-csp's: the account pages' forms may lead to the providers' origins, or
# browsers would stop the redirect a sign-in button starts (accounts.sso.middleware).
MIDDLEWARE.insert(
    MIDDLEWARE.index(_CSP_MIDDLEWARE) + 1, "accounts.sso.middleware.SingleSignOnMiddleware"
)

SOCIALACCOUNT_ADAPTER = "accounts.sso.adapter.SocialAccountAdapter"
# The sign-in page's buttons post to the provider's login URL (CSRF-protected); a
# plain link to it shows a confirmation first.
SOCIALACCOUNT_LOGIN_ON_GET = False
# Fledge calls no provider API after sign-in: access and refresh tokens are not kept.
SOCIALACCOUNT_STORE_TOKENS = False
#: A first single sign-on creates the person's account (independently of
#: FLEDGE_ALLOW_SIGNUP, which is about password sign-up).
FLEDGE_SSO_CREATE_ACCOUNTS = env_bool("FLEDGE_SSO_CREATE_ACCOUNTS", True)
#: Sign a person in to the existing account that has the email address the provider
#: *verified* for them. Off (the default): they sign in with the account's password
#: first and connect the provider, which proves they own it. A provider's
#: ``email_authentication`` overrides this for that provider.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = env_bool("FLEDGE_SSO_EMAIL_AUTHENTICATION", False)
# ...and then connect the provider account, so a later change of address still matches.
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True


def _json(name: str, default: object, kind: type) -> object:
    raw = env_str(name)
    if not raw:
        return default
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {error}") from error
    if not isinstance(value, kind):
        raise ImproperlyConfigured(f"{name} must be a JSON {'object' if kind is dict else 'list'}.")
    return value


def _slug(name: str, entry: dict) -> str:
    slug = entry.get("id")
    if not isinstance(slug, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", slug):
        raise ImproperlyConfigured(
            f'{name}: each provider needs an "id" of lower-case letters, digits and "-".'
        )
    return slug


def _require(name: str, slug: str, entry: dict, *keys: str) -> None:
    missing = [key for key in keys if not entry.get(key)]
    if missing:
        raise ImproperlyConfigured(f'{name}: provider "{slug}" needs {", ".join(missing)}.')


def oidc_apps(entries: list) -> list[dict]:
    """allauth's ``APPS`` for ``openid_connect`` from ``FLEDGE_OIDC_PROVIDERS``."""
    apps = []
    for entry in entries:
        entry = dict(entry)
        slug = _slug("FLEDGE_OIDC_PROVIDERS", entry)
        secret = entry.pop("secret", "") or env_str(
            f"FLEDGE_OIDC_SECRET_{slug.upper().replace('-', '_')}"
        )
        _require("FLEDGE_OIDC_PROVIDERS", slug, entry, "server_url", "client_id")
        apps.append(
            {
                "provider_id": slug,
                "name": entry.pop("name", slug),
                "client_id": entry.pop("client_id"),
                "secret": secret,
                "settings": {key: value for key, value in entry.items() if key != "id"},
            }
        )
    return apps


def saml_apps(entries: list) -> list[dict]:
    """allauth's ``APPS`` for ``saml`` from ``FLEDGE_SAML_PROVIDERS``."""
    apps = []
    for entry in entries:
        entry = dict(entry)
        slug = _slug("FLEDGE_SAML_PROVIDERS", entry)
        _require("FLEDGE_SAML_PROVIDERS", slug, entry, "entity_id")
        if not entry.get("metadata_url"):
            _require("FLEDGE_SAML_PROVIDERS", slug, entry, "sso_url", "x509cert")
        idp = {"entity_id": entry.pop("entity_id")}
        for key in ("metadata_url", "sso_url", "slo_url", "x509cert"):
            if entry.get(key):
                idp[key] = entry.pop(key)
        settings = {"idp": idp}
        if entry.get("sp_entity_id"):
            settings["sp"] = {"entity_id": entry.pop("sp_entity_id")}
        name = entry.pop("name", slug)
        settings.update({key: value for key, value in entry.items() if key != "id"})
        apps.append(
            {"provider_id": idp["entity_id"], "name": name, "client_id": slug, "settings": settings}
        )
    return apps


SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        # Fledge's checks on top of allauth's provider (accounts.sso.providers).
        "provider_class": "accounts.sso.providers.FledgeOpenIDConnectProvider",
        # PKCE on every authorization code (Entra ID, Keycloak, Okta and Google all
        # support it for confidential clients); a provider may turn it off.
        "OAUTH_PKCE_ENABLED": True,
        "APPS": oidc_apps(_json("FLEDGE_OIDC_PROVIDERS", [], list)),
    },
    "saml": {
        "provider_class": "accounts.sso.providers.FledgeSAMLProvider",
        "APPS": saml_apps(_json("FLEDGE_SAML_PROVIDERS", [], list)),
    },
}

#: Directory attributes to Django groups, applied at every single sign-on:
#: {"groups:staff-security": "Security awareness", "department:Finance": "Finance"}
#: (accounts.sso.claims). A provider's ``group_map`` replaces it for that provider.
FLEDGE_SSO_GROUP_MAP = _json("FLEDGE_SSO_GROUP_MAP", {}, dict)
