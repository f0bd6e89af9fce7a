"""django-allauth's account adapter, set to Fledge's sign-in policy.

- Sign-up is open only with ``FLEDGE_ALLOW_SIGNUP`` and local passwords on.
- Failed password sign-ins are counted by django-axes (in the database, per username
  and address, with its 429 page), so allauth's own cache-kept counter is not consulted
  for passwords while axes is on; it still limits guesses of MFA codes.
- An unknown username and a wrong password get the same words.
- A sign-in in the last few minutes (``ACCOUNT_REAUTHENTICATION_TIMEOUT``) counts as
  recent for the sensitive account steps, such as setting up MFA: staff sent to enrol a
  factor straight after signing in are not asked for their password a second time.
- Emails name the site as every other Fledge email does (``WAGTAIL_SITE_NAME``).
"""

import time

from django.conf import settings
from django.http import HttpRequest

from allauth.account import app_settings as allauth_account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context

#: The one answer to a failed sign-in, whatever was wrong.
SIGN_IN_FAILED = "Your username (or email) and password did not match. Please try again."


def local_passwords_for(user) -> bool:
    """Whether ``user`` may sign in with a password: everyone while
    ``FLEDGE_LOCAL_PASSWORDS`` is on, only superusers when it is off."""
    return settings.FLEDGE_LOCAL_PASSWORDS or bool(user and user.is_superuser)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": SIGN_IN_FAILED,
        "email_password_mismatch": SIGN_IN_FAILED,
        "email_taken": "An account with this email address already exists.",
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Local sign-up: ``FLEDGE_ALLOW_SIGNUP`` with local passwords on."""
        return settings.FLEDGE_ALLOW_SIGNUP and settings.FLEDGE_LOCAL_PASSWORDS

    def pre_authenticate(self, request: HttpRequest, **credentials) -> None:
        # django-axes counts and locks out failed password sign-ins (see the module
        # docstring); allauth's counter stays in charge when axes is switched off.
        if not settings.AXES_ENABLED:
            super().pre_authenticate(request, **credentials)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        super().send_mail(
            template_prefix, email, {**context, "site_name": settings.WAGTAIL_SITE_NAME}
        )

    def format_email_subject(self, subject: str) -> str:
        return f"{settings.WAGTAIL_SITE_NAME}: {subject}"

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = context.request
        if request is None or not request.user.is_authenticated:
            return True
        records = get_authentication_records(request, request.user)
        timeout = allauth_account_settings.REAUTHENTICATION_TIMEOUT
        return not (records and time.time() - records[-1]["at"] < timeout)
