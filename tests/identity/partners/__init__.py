"""Real protocol partners for the single sign-on tests, on 127.0.0.1 only.

- ``oidc_provider``: an OpenID provider (django-oauth-toolkit with OIDC on), a Django
  project of its own served by a subprocess on a free port (``oidc.OpenIDProvider``).
- ``saml_idp``: a SAML 2.0 identity provider's signing half: a key pair made at test
  time, and responses and assertions signed with xmlsec (``saml_idp.SAMLIdentityProvider``).
"""
