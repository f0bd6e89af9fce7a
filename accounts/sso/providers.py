"""allauth's OpenID Connect and SAML providers, with the checks Fledge adds.

Installed through ``SOCIALACCOUNT_PROVIDERS[<provider>]["provider_class"]``
(config/settings/sso.py), so every app of that provider, from the environment or the
admin, uses them.

- OpenID Connect: ``email_verified`` counts only when it is true (a provider that sends
  the text ``"false"`` does not verify the address).
- SAML: Fledge's defaults lie under every app's settings, from the environment or the
  admin alike (``SAML_ATTRIBUTE_MAPPING``, ``SAML_ADVANCED``: a signed assertion, and
  only answers to sign-ins this site started). An assertion is accepted once. Its ID is
  remembered in the cache (Redis in production, shared by every web process) until it
  expires, and a second use is refused. When the cache cannot answer, the sign-in goes
  on: allauth still accepts an answer only to a request this browser started
  (``InResponseTo``). The assertion's AuthnContextClassRef values are kept with its
  attributes, for the MFA rule.
"""

import hashlib
import logging
import time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.saml.provider import SAMLProvider

from .claims import as_bool

logger = logging.getLogger(__name__)

#: Where a SAML assertion's AuthnContextClassRef values are kept in ``extra_data``.
AUTHN_CONTEXTS_KEY = "authn_context_class_refs"
#: Seconds a used assertion ID is remembered beyond its own expiry (python3-saml
#: accepts assertions up to this much past NotOnOrAfter, for clock drift).
CLOCK_DRIFT_SECONDS = 300
#: How long to remember an assertion that gave no expiry.
DEFAULT_ASSERTION_SECONDS = 3600
#: What a refused replay is told.
REPLAYED = "This sign-in answer from the identity provider was already used. Please sign in again."


#: Where a SAML assertion's account fields are found: allauth's names plus those Entra
#: ID, Okta and eduPerson/LDAP directories send. ``uid`` falls back to the NameID, which
#: must then be persistent (never a transient one). An app's own
#: ``attribute_mapping`` replaces single entries.
SAML_ATTRIBUTE_MAPPING = {
    "uid": [
        "urn:oasis:names:tc:SAML:attribute:subject-id",
        "http://schemas.microsoft.com/identity/claims/objectidentifier",
    ],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "email",
        "mail",
    ],
    "email_verified": ["http://schemas.auth0.com/email_verified", "email_verified"],
    "first_name": [
        "urn:oid:2.5.4.42",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "firstName",
        "givenName",
    ],
    "last_name": [
        "urn:oid:2.5.4.4",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "lastName",
        "sn",
    ],
}
#: python3-saml's checks (allauth's ``advanced`` settings): strict validation, a signed
#: assertion, and no answer the site did not ask for (IdP-initiated sign-in).
SAML_ADVANCED = {
    "strict": True,
    "want_assertion_signed": True,
    "reject_idp_initiated_sso": True,
}


def with_saml_defaults(options: dict | None) -> dict:
    """A SAML app's settings over Fledge's defaults."""
    options = dict(options or {})
    options["attribute_mapping"] = {
        **SAML_ATTRIBUTE_MAPPING,
        **(options.get("attribute_mapping") or {}),
    }
    options["advanced"] = {**SAML_ADVANCED, **(options.get("advanced") or {})}
    return options


class FledgeOpenIDConnectProvider(OpenIDConnectProvider):
    #: allauth finds the provider's URLs (and templates) by its package: allauth's.
    package = "allauth.socialaccount.providers.openid_connect"

    def extract_email_addresses(self, data) -> list:
        # The same source as allauth's: the userinfo answer, else the ID token.
        data = data.get("userinfo") or data.get("id_token") or data
        email = data.get("email")
        if not email:
            return []
        return [
            EmailAddress(email=email, verified=as_bool(data.get("email_verified")), primary=True)
        ]


class FledgeSAMLProvider(SAMLProvider):
    package = "allauth.socialaccount.providers.saml"

    def __init__(self, request, app=None) -> None:
        super().__init__(request, app=app)
        if app is not None:
            # The app in hand only (never saved): what allauth reads to check answers.
            app.settings = with_saml_defaults(app.settings)

    def extract_extra_data(self, data) -> dict:
        extra = dict(super().extract_extra_data(data))
        extra[AUTHN_CONTEXTS_KEY] = list(data.get_last_authn_contexts() or [])
        return extra

    def sociallogin_from_response(self, request: HttpRequest, response):
        self._refuse_replay(request, response)
        return super().sociallogin_from_response(request, response)

    def unstash_redirect_state(self, request: HttpRequest, state_id):
        """The sign-in this answer is for (its ``InResponseTo``); an answer to a request
        this browser did not start gets the error page, not a bare 403."""
        try:
            return super().unstash_redirect_state(request, state_id)
        except PermissionDenied:
            raise ImmediateHttpResponse(
                render_authentication_error(request, self, extra_context={"state_id": state_id})
            ) from None

    def _refuse_replay(self, request: HttpRequest, auth) -> None:
        assertion_id = auth.get_last_assertion_id()
        if not assertion_id:
            return
        digest = hashlib.sha256(f"{self.app.provider_id}\n{assertion_id}".encode()).hexdigest()
        key = f"fledge:saml-assertion:{digest}"
        expires = auth.get_last_assertion_not_on_or_after()
        lifetime = (expires - time.time()) if expires else DEFAULT_ASSERTION_SECONDS
        timeout = max(60, int(lifetime) + CLOCK_DRIFT_SECONDS)
        if cache.add(key, True, timeout=timeout):
            return
        if cache.get(key) is None:
            logger.warning("SAML replay check skipped: the cache did not answer")
            return
        logger.warning("SAML assertion replayed (provider %s)", self.app.provider_id)
        raise ImmediateHttpResponse(
            render_authentication_error(request, self, extra_context={"fledge_reason": REPLAYED})
        )
