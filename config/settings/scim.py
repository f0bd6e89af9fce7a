"""SCIM 2.0 provisioning at /scim/v2/ (``accounts.scim``). Tokens are created in the
admin (Settings → Provisioning tokens) or with ``manage.py scim_token create``; they are
data, not settings."""

from .env import env_int

#: The most people or groups one page of a SCIM list holds (and the page size when the
#: directory asks for none): ServiceProviderConfig's ``filter.maxResults``.
FLEDGE_SCIM_MAX_RESULTS = env_int("FLEDGE_SCIM_MAX_RESULTS", 200)
