"""What one finished single sign-on says: read from allauth's ``SocialLogin``.

OpenID Connect: the ID token's claims and the userinfo answer (allauth keeps both in
the social account's ``extra_data``); the MFA assertion is the ID token's ``amr`` and
``acr``. SAML: the assertion's attributes; its ``acr`` is the AuthnContextClassRef,
and Entra ID lists its methods in an attribute (``claims.SAML_AMR_ATTRIBUTE``), which
count as both.

A provider's app settings (``SocialApp.settings``, from the environment or the admin)
may carry Fledge's own keys beside allauth's:

- ``claims``: where each directory attribute is found (``claims.DEFAULT_CLAIM_NAMES``);
- ``group_map``: this provider's own group map instead of ``FLEDGE_SSO_GROUP_MAP``;
- ``trust_mfa``: ``false`` ignores this provider's MFA assertions (default ``true``,
  under the site-wide ``FLEDGE_MFA_TRUST_IDP``).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings

from . import claims
from .providers import AUTHN_CONTEXTS_KEY

OPENID_CONNECT = "openid_connect"
SAML = "saml"


@dataclass(frozen=True)
class SignIn:
    """A person's directory attributes and MFA assertion at one sign-in, and the rules
    that apply to the provider they came through."""

    provider: str
    values: dict[str, set[str] | None]
    amr: tuple[str, ...]
    acr: tuple[str, ...]
    rules: tuple[claims.GroupRule, ...]
    trust_mfa: bool


def app_settings(sociallogin) -> Mapping[str, object]:
    """The provider app's settings (empty for a provider without apps)."""
    app = getattr(sociallogin.provider, "app", None)
    return (app.settings if app is not None else None) or {}


def read_sign_in(sociallogin) -> SignIn:
    """The ``SignIn`` of an OpenID Connect or SAML social login.

    Raises ``claims.GroupMapError`` when the provider's ``claims`` or ``group_map``
    setting cannot be used (they are checked at start-up when they come from the
    environment; the admin's are checked here).
    """
    options = app_settings(sociallogin)
    names = claims.claim_names(options.get("claims"))
    raw_map = options.get("group_map")
    rules = claims.parse_group_map(
        raw_map if raw_map is not None else settings.FLEDGE_SSO_GROUP_MAP
    )
    trust_mfa = claims.as_bool(options.get("trust_mfa", True))
    extra = sociallogin.account.extra_data or {}
    provider = sociallogin.provider.id
    if provider == SAML:
        attributes = {key: value for key, value in extra.items() if key != AUTHN_CONTEXTS_KEY}
        methods = tuple(sorted(claims.as_values(attributes.get(claims.SAML_AMR_ATTRIBUTE))))
        return SignIn(
            provider=provider,
            values=claims.attribute_values(
                [attributes], names, left_out=claims.saml_left_out(attributes)
            ),
            amr=methods,
            # Entra ID says "multipleauthn" among its methods, not in the AuthnContext.
            acr=(*(extra.get(AUTHN_CONTEXTS_KEY) or ()), *methods),
            rules=rules,
            trust_mfa=trust_mfa,
        )
    id_token = extra.get("id_token") if isinstance(extra.get("id_token"), Mapping) else {}
    userinfo = extra.get("userinfo") if isinstance(extra.get("userinfo"), Mapping) else {}
    sources = [source for source in (id_token, userinfo) if source] or [extra]
    return SignIn(
        provider=provider,
        values=claims.attribute_values(
            sources, names, left_out=claims.oidc_left_out(sources, names)
        ),
        amr=tuple(sorted(claims.as_values(id_token.get("amr")))),
        acr=tuple(sorted(claims.as_values(id_token.get("acr")))),
        rules=rules,
        trust_mfa=trust_mfa,
    )
