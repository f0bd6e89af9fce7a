"""Single sign-on (OpenID Connect and SAML 2.0, on django-allauth's providers):

- ``claims``: identity-provider claims and SAML attributes → group rules (pure);
- ``logins``: what one finished sign-in says (attributes, MFA assertion);
- ``services``: applying it: joining and leaving mapped groups, the MFA mark;
- ``providers``: allauth's providers with Fledge's checks (verified email, SAML replay);
- ``adapter``: the social account adapter (who may sign up, refusals in words);
- ``middleware``: the account pages' forms may lead to the providers (CSP), and a
  malformed SAML answer gets the error page;
- ``receivers`` and ``checks``: allauth's signals, and start-up checks of the config.

The providers themselves are configured in ``config/settings/sso.py``.
"""
