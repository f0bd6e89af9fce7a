"""Account URLs: django-allauth's (sign-in, sign-out, sign-up, email addresses,
password change and reset, MFA at ``2fa/``, single sign-on at ``3rdparty/`` and each
provider's own), with Fledge's rules wrapped around a few of them, and the account
overview at ``/accounts/``.

URL names are allauth's: ``account_login``, ``account_logout``, ``account_signup``,
``account_change_password``, ``account_reset_password``, ``mfa_index``, …
"""

from collections.abc import Callable

from django.urls import URLPattern, URLResolver, include, path

from allauth.urls import build_provider_urlpatterns

from . import views
from .mfa import marks_enrolment

#: allauth's views that Fledge replaces or wraps, by URL name: each entry makes the
#: new view from allauth's.
OVERRIDES: dict[str, Callable[[Callable], Callable]] = {
    # 404 when closed, 400 for a refused form.
    "account_signup": lambda allauth_view: views.signup,
    # 404 while local passwords are off.
    "account_reset_password": views.local_passwords_only,
    "account_reset_password_done": views.local_passwords_only,
    "account_reset_password_from_key": views.local_passwords_only,
    "account_reset_password_from_key_done": views.local_passwords_only,
    # Setting up a factor counts as showing it (accounts.mfa).
    "mfa_activate_totp": marks_enrolment,
    "mfa_add_webauthn": marks_enrolment,
}
#: Marks a view already replaced (the URL configuration may be loaded more than once).
_OVERRIDDEN = "fledge_overridden"


def with_overrides(patterns: list) -> list:
    """Apply ``OVERRIDES``, in place, to ``patterns`` and their includes."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            with_overrides(entry.url_patterns)
        elif (
            isinstance(entry, URLPattern)
            and entry.name in OVERRIDES
            and not getattr(entry.callback, _OVERRIDDEN, False)
        ):
            entry.callback = OVERRIDES[entry.name](entry.callback)
            setattr(entry.callback, _OVERRIDDEN, True)
    return patterns


urlpatterns = with_overrides(
    [
        path("", views.account_overview, name="account_overview"),
        path("", include("allauth.account.urls")),
        path("2fa/", include("allauth.mfa.urls")),
        path("3rdparty/", include("allauth.socialaccount.urls")),
        # Each configured single sign-on provider's own URLs (config/settings/sso.py).
        *build_provider_urlpatterns(),
    ]
)
