"""Account pages. Signing in and out, email addresses, password change and reset and
MFA are django-allauth's views (``accounts/urls.py``); these few wrap them where Fledge's
rules differ, and add the account overview.

- Sign-up answers 404 when it is switched off (``FLEDGE_ALLOW_SIGNUP``, or local
  passwords off), and 400 for a refused form.
- Password reset answers 404 while local passwords are off (``FLEDGE_LOCAL_PASSWORDS``).
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from allauth.account import views as allauth_views
from allauth.mfa.models import Authenticator

from .adapters import local_passwords_for
from .mfa import FACTOR_TYPES, mfa_required


class SignupView(allauth_views.SignupView):
    """allauth's sign-up, not found when closed and answering 400 to a refused form."""

    def closed(self) -> HttpResponse:
        raise Http404("Sign-up is not available on this site.")

    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


signup = SignupView.as_view()

#: Each kind of second factor, as the account page names it.
FACTOR_NAMES = {
    Authenticator.Type.TOTP: "an authenticator app",
    Authenticator.Type.WEBAUTHN: "a security key",
}


def local_passwords_only(view: Callable) -> Callable:
    """``view``, not found while local passwords are off (the password reset pages)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not settings.FLEDGE_LOCAL_PASSWORDS:
            raise Http404("Passwords are managed by your organisation's sign-in.")
        return view(request, *args, **kwargs)

    return guarded


@login_required
def account_overview(request: HttpRequest) -> HttpResponse:
    """The signed-in person's account: who they are, and links to their email
    addresses, password, two-factor authentication and connected sign-ins."""
    user = request.user
    factors = Authenticator.objects.filter(user=user, type__in=FACTOR_TYPES)
    kinds = set(factors.values_list("type", flat=True))
    return render(
        request,
        "account/overview.html",
        {
            "factors": [name for kind, name in FACTOR_NAMES.items() if kind in kinds],
            "mfa_required": mfa_required(user),
            "may_use_password": local_passwords_for(user),
        },
    )
