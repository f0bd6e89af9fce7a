"""Start-up checks of the single sign-on configuration (``manage.py check``): a group
map or a provider's ``claims`` that cannot be used is an error, named with its entry,
before anyone signs in."""

from django.conf import settings
from django.core import checks

from .claims import GroupMapError, claim_names, parse_group_map


@checks.register(checks.Tags.security)
def check_sso_group_maps(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    candidates = [("FLEDGE_SSO_GROUP_MAP", settings.FLEDGE_SSO_GROUP_MAP, None)]
    for provider, config in settings.SOCIALACCOUNT_PROVIDERS.items():
        for app in config.get("APPS", []):
            options = app.get("settings", {})
            # A SAML app is known by its slug (client_id), an OIDC one by its provider_id.
            slug = app.get("client_id") if provider == "saml" else app.get("provider_id")
            where = f"{provider} provider {slug}"
            candidates.append((where, options.get("group_map"), options.get("claims")))
    for where, group_map, claims in candidates:
        try:
            parse_group_map(group_map)
            claim_names(claims)
        except GroupMapError as error:
            errors.append(checks.Error(f"{where}: {error}", id="fledge.sso.E001"))
    return errors
