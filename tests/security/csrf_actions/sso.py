"""Single sign-on providers' own URLs: the buttons that start a sign-in are actions
(a POST, with Fledge's CSRF token); what the identity provider sends back is not,
because it comes from another site by design: it is bound to this browser instead (an
OpenID Connect ``state``, a SAML ``InResponseTo``) and refused without that
(``tests/identity/``)."""

from ..conftest import ANONYMOUS
from ..world_urls import rev
from .action import Action

SSO_ACTIONS = [
    Action(
        key="openid_connect_login",
        label="oidc-login",
        role=ANONYMOUS,
        url=rev("openid_connect_login", "campus"),
        get_status=200,
        # Starting a sign-in only notes its state in the session.
    ),
    Action(
        key="saml_login",
        label="saml-login",
        role=ANONYMOUS,
        url=rev("saml_login", "unknown-idp"),
        get_status=404,
    ),
]

#: The identity provider's answers and Fledge's published metadata.
SSO_SAFE = {
    "openid_connect_callback",
    "saml_metadata",
    "saml_acs",
    "saml_finish_acs",
    "saml_sls",
}
#: Of those, the ones that take a POST from the identity provider (csrf-exempt in
#: allauth: the SAML HTTP-POST binding), and the views that take any method.
SSO_SAFE_BUT_TAKES_POST = {
    "openid_connect_callback",
    "saml_acs",
    "saml_finish_acs",
    "saml_sls",
}
