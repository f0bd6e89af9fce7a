"""Single sign-on providers' own URLs (allauth's ``openid_connect`` and ``saml``
providers, configured in ``config/settings/sso.py``).

The world has one OpenID Connect provider, ``campus`` (a social application added in
the admin, with no server behind it), and no SAML provider: these rows check what a
GET answers without any identity provider being contacted. A sign-in itself is tested
against real partners in ``tests/identity/``.
"""

from django.urls import reverse

from ..world_urls import rev
from .case import NOT_FOUND, OK, Case, Outcome, every, redirect

#: allauth's "the sign-in did not work" page (accounts.sso.adapter says why).
REFUSED = Outcome("401", 401)
#: The slug of a SAML provider that is not configured.
UNKNOWN_SAML = "unknown-idp"

SSO = [
    Case(
        key="openid_connect_login",
        label="oidc-login",
        url=rev("openid_connect_login", "campus"),
        access=every(OK),
        note="A GET only asks to continue; the POST starts the sign-in (CSRF-protected).",
    ),
    Case(
        key="openid_connect_callback",
        label="oidc-callback-no-state",
        url=rev("openid_connect_callback", "campus"),
        access=every(REFUSED),
        note="No sign-in started from this browser (no state): refused, nothing fetched.",
    ),
    Case(
        key="openid_connect_login",
        label="oidc-login-unknown",
        url=rev("openid_connect_login", "unknown-idp"),
        access=every(NOT_FOUND),
    ),
    Case(
        key="saml_acs",
        label="saml-acs-unknown",
        url=rev("saml_acs", UNKNOWN_SAML),
        access=every(redirect(lambda w: reverse("saml_finish_acs", args=[UNKNOWN_SAML]), "finish")),
        note="The assertion consumer service only keeps the post and moves on to finish.",
    ),
    *(
        Case(
            key=name,
            label=f"{name.replace('_', '-')}-unknown",
            url=rev(name, UNKNOWN_SAML),
            access=every(NOT_FOUND),
            note="An identity provider that is not configured is a 404, never a 500.",
        )
        for name in ("saml_login", "saml_finish_acs", "saml_sls", "saml_metadata")
    ),
]
