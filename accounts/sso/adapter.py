"""django-allauth's social account adapter, set to Fledge's single sign-on policy.

- **Accounts.** A first single sign-on creates the person's account when
  ``FLEDGE_SSO_CREATE_ACCOUNTS`` is on (the default), whether or not visitors may sign
  up with a password (``FLEDGE_ALLOW_SIGNUP``).
- **Matching.** A returning person is found by their provider account (the OIDC
  ``sub``, the SAML subject): allauth's own lookup. Matching an existing local account
  by email happens only with email authentication switched on
  (``FLEDGE_SSO_EMAIL_AUTHENTICATION``, or a provider's ``email_authentication``) and
  only for an address the provider verified; otherwise someone whose email already has
  an account is told to sign in to it with its password first and connect the
  provider from *Account → Connected sign-ins*, which proves they own it (the page
  ``socialaccount/account_exists.html``, instead of a sign-up form that would fail).
  The exception is an account the directory provisioned (SCIM) that has no password:
  its owner has no other way in, so the provider's *verified* address connects it
  (:func:`provisioned_account`).
- **Refusals.** A failed sign-in (wrong state, a token for another client, an expired
  or tampered answer, a code or assertion used twice) is logged and answered with the
  authentication error page (HTTP 401), which says in words what went wrong
  (``fledge_reason`` in its context).
"""

import logging

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render

from allauth.account import app_settings as account_settings
from allauth.account.utils import filter_users_by_email
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base.constants import AuthError, AuthProcess

from accounts.models import DirectoryAccount

logger = logging.getLogger(__name__)

NOT_STARTED_HERE = (
    "This sign-in was not started from this browser, or it took too long. "
    "Please start again from the sign-in page."
)
ANSWER_REFUSED = (
    "The identity provider's answer could not be accepted: its ID token was not "
    "issued to this site, had expired, or did not verify. Please sign in again."
)
CODE_REFUSED = (
    "The identity provider did not accept the sign-in code (it may already have been "
    "used, or it expired). Please sign in again."
)
CANNOT_REACH = "The identity provider could not be reached. Please try again in a moment."
SAML_REFUSED = "The identity provider's answer could not be accepted: {what}. Please sign in again."
GENERIC = "Signing in with the identity provider did not work. Please try again."

#: python3-saml's reasons, by a word they contain, in words for people.
SAML_REASONS = (
    ("signature", "its signature did not verify"),
    ("audience", "it was meant for another service"),
    ("expired", "it had expired"),
    ("notonorafter", "it had expired"),
    ("destination", "it was sent to another address"),
    ("recipient", "it was sent to another address"),
    ("issuer", "it came from another identity provider"),
)


def explain(error: str | None, exception: Exception | None, context: dict) -> str:
    """A sentence for the person saying why their sign-in was refused."""
    if context.get("fledge_reason"):
        return context["fledge_reason"]
    if "saml_errors" in context:
        reason = str(context.get("saml_last_error_reason") or "").lower()
        what = next((words for word, words in SAML_REASONS if word in reason), "it was not valid")
        return SAML_REFUSED.format(what=what)
    if "state_id" in context and exception is None:
        return NOT_STARTED_HERE
    message = str(exception or "")
    if "id_token" in message:
        return ANSWER_REFUSED
    if "access token" in message:
        return CODE_REFUSED
    if exception is not None and type(exception).__module__.startswith("requests"):
        return CANNOT_REACH
    return GENERIC


def provisioned_account(users):
    """The one account among ``users`` that the directory provisioned (SCIM) and that
    has no password: its owner can only ever sign in through the identity provider, so
    a first single sign-on with the address the provider verified is theirs. None
    otherwise (several matches, a local password, an account the directory deleted)."""
    candidates = [
        user
        for user in users
        if user.is_active
        and not user.has_usable_password()
        and DirectoryAccount.objects.filter(user=user, deleted_at__isnull=True).exists()
    ]
    return candidates[0] if len(users) == 1 and len(candidates) == 1 else None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        """A first single sign-on creates an account while ``FLEDGE_SSO_CREATE_ACCOUNTS``
        is on, independently of password sign-up."""
        return settings.FLEDGE_SSO_CREATE_ACCOUNTS

    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        """A first single sign-on with the address of an existing account (one it was
        not matched to): explain how to connect the two instead of offering a sign-up."""
        if sociallogin.is_existing or sociallogin.state.get("process") == AuthProcess.CONNECT:
            return
        if not account_settings.UNIQUE_EMAIL or not sociallogin.email_addresses:
            return
        # The address allauth would sign the person up with.
        address = sociallogin.email_addresses[0]
        matches = filter_users_by_email(address.email)
        provisioned = provisioned_account(matches) if address.verified else None
        if provisioned is not None:
            sociallogin.connect(request, provisioned)
            return
        if matches:
            raise ImmediateHttpResponse(
                render(
                    request,
                    "socialaccount/account_exists.html",
                    {"provider_name": sociallogin.provider.name},
                )
            )

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider,
        error=None,
        exception=None,
        extra_context=None,
    ) -> None:
        context = extra_context if extra_context is not None else {}
        context["fledge_reason"] = explain(error, exception, context)
        if error != AuthError.CANCELLED:
            logger.warning(
                "Single sign-on refused (%s): %s%s",
                getattr(getattr(provider, "app", None), "provider_id", None) or provider.id,
                context.get("saml_last_error_reason") or exception or error,
                "" if "state_id" not in context else " (no matching state)",
            )
        super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=context
        )
