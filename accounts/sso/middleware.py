"""The single sign-on middleware: two things the providers' own views do not do.

**Forms may lead to the identity providers.** The site's Content Security Policy allows
forms to submit only to the site itself (``form-action 'self'``), and browsers apply
that to where a submission is redirected too. A single sign-on button posts to Fledge,
which redirects to the provider's authorization or single sign-on endpoint, so the
account pages (sign-in, sign-up, *Connected sign-ins*, the provider's confirmation page)
add every configured provider's origin to ``form-action``: providers from the
environment and from the admin alike.

**A malformed SAML answer is refused, not a 500.** allauth turns python3-saml's
validation errors into its error page, but not an answer that is not XML at all (or
carries a DTD or entities, which python3-saml forbids): those get the same page.
"""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.providers.saml.utils import get_app_or_404
from lxml import etree

#: Where the pages with single sign-on buttons are.
ACCOUNT_PREFIX = "/accounts/"
#: allauth's SAML views that parse what the identity provider posted.
SAML_VIEWS = frozenset({"saml_acs", "saml_finish_acs", "saml_sls"})


def origin(url: object) -> str | None:
    """``https://host[:port]`` of an absolute http(s) URL, else ``None``."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def provider_origins(request: HttpRequest) -> list[str]:
    """The origins a sign-in may be redirected to, from every configured app."""
    origins = set()
    for app in get_adapter().list_apps(request):
        options = app.settings or {}
        overrides = options.get("openid_configuration_overrides") or {}
        idp = options.get("idp") or {}
        for url in (
            options.get("server_url"),
            overrides.get("authorization_endpoint"),
            idp.get("sso_url"),
            idp.get("metadata_url"),
        ):
            if found := origin(url):
                origins.add(found)
    return sorted(origins)


class SingleSignOnMiddleware:
    """Adds the providers' origins to ``form-action`` on the account pages (placed
    after django-csp's middleware, so that it writes the header with them), and
    answers a malformed SAML answer with the authentication error page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(ACCOUNT_PREFIX) and "html" in response.get(
            "Content-Type", ""
        ):
            origins = provider_origins(request)
            if origins:
                update = dict(getattr(response, "_csp_update", None) or {})
                update["form-action"] = [*update.get("form-action", []), *origins]
                response._csp_update = update
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        match = request.resolver_match
        if match is None or match.url_name not in SAML_VIEWS:
            return None
        if not isinstance(exception, etree.LxmlError | ValueError):
            return None
        provider = get_app_or_404(request, match.kwargs["organization_slug"]).get_provider(request)
        return render_authentication_error(
            request,
            provider,
            exception=exception,
            extra_context={
                "saml_errors": ["invalid_response"],
                "saml_last_error_reason": "malformed",
            },
        )
