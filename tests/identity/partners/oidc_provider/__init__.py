"""A real OpenID provider for the single sign-on tests: django-oauth-toolkit with
OpenID Connect on, in a process of its own (``python -m
tests.identity.partners.oidc_provider CONFIG``); ``tests.identity.partners.oidc``
starts and stops it."""
