"""MFA for staff: who must have a second factor, when a session has shown one, and the
middleware that keeps the admins closed until both hold.

The rule (``mfa_required``): anyone who can reach the Wagtail admin (the
``wagtailadmin.access_admin`` permission, which superusers hold) or the Django admin
(``is_staff``), while ``FLEDGE_MFA_REQUIRED_FOR_STAFF`` is on. Learners are never forced;
they may turn MFA on from their account page.

A session has shown a second factor (``session_mfa_satisfied``) when, in it, the person

- answered allauth's MFA step at sign-in (an authenticator code, a recovery code or a
  security key) or its MFA re-authentication: allauth records an ``"mfa"``
  authentication in the session;
- set up a factor just now (``marks_enrolment``: the code that activates an
  authenticator app, or the touch that adds a security key, proves it);
- or signed in through an identity provider that asserted MFA, when
  ``FLEDGE_MFA_TRUST_IDP`` allows it: the single sign-on code calls
  ``satisfy_mfa_from_idp`` (or ``mark_session_mfa_satisfied`` directly) after sign-in.

Before any page under ``/admin/`` or ``/django-admin/`` runs, ``StaffMFAMiddleware``
sends such a person who has no factor to set one up (the authenticator-app page), and
one who has a factor but has not shown it in this session to MFA re-authentication;
the page they asked for is kept as ``next``.
"""

import time
from collections.abc import Callable, Iterable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator

#: The session key that records a second factor shown outside allauth's own steps:
#: ``{"user": "<pk>", "method": "idp" | "enrolment" | …, "at": <unix time>}``.
MFA_SESSION_KEY = "fledge_mfa_satisfied"
#: Authenticators that are a second factor (recovery codes only back them up).
FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
#: The admins' URL names, whose paths the middleware guards.
GUARDED_URL_NAMES = ("wagtailadmin_home", "admin:index")
#: Admin URLs that stay open: the sign-in redirect and signing out.
OPEN_URL_NAMES = ("wagtailadmin_login", "wagtailadmin_logout", "admin:login", "admin:logout")


def mfa_required(user) -> bool:
    """Whether ``user`` must use a second factor: anyone who can reach the Wagtail
    admin or the Django admin, while ``FLEDGE_MFA_REQUIRED_FOR_STAFF`` is on."""
    if not settings.FLEDGE_MFA_REQUIRED_FOR_STAFF or not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def has_factor(user) -> bool:
    """Whether ``user`` has set up an authenticator app or a security key."""
    return Authenticator.objects.filter(user_id=user.pk, type__in=FACTOR_TYPES).exists()


def mark_session_mfa_satisfied(request: HttpRequest, *, user=None, method: str = "idp") -> None:
    """Record that this session's person has shown a second factor (``method`` says
    how, e.g. ``"idp"``). ``user`` defaults to the signed-in user; pass it when calling
    before ``login()`` (the mark survives the session key's rotation at sign-in)."""
    user = user if user is not None else request.user
    request.session[MFA_SESSION_KEY] = {"user": str(user.pk), "method": method, "at": time.time()}


def session_mfa_satisfied(request: HttpRequest) -> bool:
    """Whether the signed-in person has shown a second factor in this session."""
    user = request.user
    mark = request.session.get(MFA_SESSION_KEY)
    if isinstance(mark, dict) and mark.get("user") == str(user.pk):
        return True
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def idp_asserted_mfa(*, amr: Iterable[str] | None = None, acr: str | None = None) -> bool:
    """Whether an identity provider's claims say the person used MFA: an ``amr`` value
    in ``FLEDGE_MFA_IDP_AMR`` or an ``acr`` (SAML: AuthnContextClassRef) in
    ``FLEDGE_MFA_IDP_ACR``."""
    if isinstance(amr, str):
        amr = [amr]
    if set(amr or ()) & set(settings.FLEDGE_MFA_IDP_AMR):
        return True
    return bool(acr) and acr in settings.FLEDGE_MFA_IDP_ACR


def satisfy_mfa_from_idp(
    request: HttpRequest, *, user=None, amr: Iterable[str] | None = None, acr: str | None = None
) -> bool:
    """Mark the session as having shown a second factor when the identity provider
    asserted MFA and ``FLEDGE_MFA_TRUST_IDP`` is on; return whether it did."""
    if not settings.FLEDGE_MFA_TRUST_IDP or not idp_asserted_mfa(amr=amr, acr=acr):
        return False
    mark_session_mfa_satisfied(request, user=user, method="idp")
    return True


def factor_count(user) -> int:
    """How many authenticator apps and security keys ``user`` has set up."""
    return Authenticator.objects.filter(user_id=user.pk, type__in=FACTOR_TYPES).count()


def marks_enrolment(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap allauth's view that sets up a factor (an authenticator app, a security key)
    so that setting one up counts as showing it in this session: adding it asked for a
    code from it, or a touch of it."""

    @wraps(view)
    def enrolling(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method != "POST" or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        before = factor_count(request.user)
        response = view(request, *args, **kwargs)
        if factor_count(request.user) > before:
            mark_session_mfa_satisfied(request, method="enrolment")
        return response

    return enrolling


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


class StaffMFAMiddleware:
    """Before any admin page: staff without a second factor go to set one up, and staff
    whose session has not shown theirs go to MFA re-authentication."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._prefixes: tuple[str, ...] | None = None
        self._open: frozenset[str] | None = None

    def _guarded(self, path: str) -> bool:
        if self._prefixes is None:
            self._prefixes = tuple(reverse(name) for name in GUARDED_URL_NAMES)
            self._open = frozenset(reverse(name) for name in OPEN_URL_NAMES)
        return path.startswith(self._prefixes) and path not in self._open

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            self._guarded(request.path_info)
            and mfa_required(request.user)
            and not session_mfa_satisfied(request)
        ):
            return self._redirect(request)
        return self.get_response(request)

    def _redirect(self, request: HttpRequest) -> HttpResponse:
        next_url = request.get_full_path()
        if has_factor(request.user):
            return HttpResponseRedirect(_with_next(reverse("mfa_reauthenticate"), next_url))
        messages.info(
            request,
            "Staff accounts need a second factor. Set up an authenticator app "
            "to continue to the admin.",
        )
        return HttpResponseRedirect(_with_next(reverse("mfa_activate_totp"), next_url))
