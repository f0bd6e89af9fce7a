"""Accounts and sign-in (django-allauth): the forms that sign in and out, sign up, change
email addresses and passwords and set up two-factor authentication, and Django's
admin of allauth's models; with the account pages that only read."""

from django.test import Client
from django.urls import reverse

from tests.learner.factories import PASSWORD

from ..conftest import ANONYMOUS, LEARNER, World, reset_token_kwargs
from ..world_urls import rev
from .action import NEW_PASSWORD, Action
from .django_admin import django_admin_actions


def open_reset_link(client: Client, world: World) -> None:
    """allauth moves the reset key from the link into the session, then shows the form
    at ``…-set-password/``."""
    client.get(
        reverse("account_reset_password_from_key", kwargs=reset_token_kwargs(world.other.user))
    )


def new_password(world: World) -> dict:
    return {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}


def webauthn_key(name: str):
    return lambda world: reverse(name, args=[1])


IDENTITY_ACTIONS = [
    Action(
        key="account_signup",
        label="signup",
        role=ANONYMOUS,
        url=rev("account_signup"),
        data=lambda w: {
            "username": "newcomer",
            "first_name": "New",
            "last_name": "Comer",
            "email": "newcomer@example.com",
            **new_password(w),
        },
        get_status=200,
        changes="auth.user",
    ),
    Action(
        key="account_login",
        label="login",
        role=ANONYMOUS,
        url=rev("account_login"),
        data=lambda w: {"login": w.me.user.username, "password": PASSWORD},
        get_status=200,
        changes="auth.user",
    ),
    Action(
        key="account_logout",
        label="logout",
        role=LEARNER,
        url=rev("account_logout"),
        get_status=200,
    ),
    Action(
        key="account_reauthenticate",
        label="reauthenticate",
        role=LEARNER,
        url=rev("account_reauthenticate"),
        data=lambda w: {"password": PASSWORD},
        get_status=200,
    ),
    Action(
        key="account_confirm_login_code",
        label="login-code",
        role=ANONYMOUS,
        url=rev("account_confirm_login_code"),
        data=lambda w: {"code": "123456"},
        get_status=302,
    ),
    Action(
        key="account_email",
        label="email-add",
        role=LEARNER,
        url=rev("account_email"),
        data=lambda w: {"action_add": "", "email": "lena.new@example.com"},
        get_status=200,
        changes="account.emailaddress",
    ),
    Action(
        key="account_confirm_email",
        label="confirm-email",
        role=ANONYMOUS,
        url=rev("account_confirm_email", "not-a-key"),
        get_status=200,
    ),
    Action(
        key="account_change_password",
        label="password-change",
        role=LEARNER,
        url=rev("account_change_password"),
        data=lambda w: {"oldpassword": PASSWORD, **new_password(w)},
        get_status=200,
        changes="auth.user",
    ),
    Action(
        key="account_set_password",
        label="password-set",
        role=LEARNER,
        url=rev("account_set_password"),
        data=new_password,
        get_status=302,
    ),
    Action(
        key="account_reset_password",
        label="password-reset",
        role=ANONYMOUS,
        url=rev("account_reset_password"),
        data=lambda w: {"email": w.other.user.email},
        get_status=200,
    ),
    Action(
        key="account_reset_password_from_key",
        label="password-reset-set-password",
        role=ANONYMOUS,
        url=lambda w: reverse(
            "account_reset_password_from_key",
            kwargs={**reset_token_kwargs(w.other.user), "key": "set-password"},
        ),
        data=new_password,
        get_status=200,
        prepare=open_reset_link,
        changes="auth.user",
    ),
    # Two-factor authentication: without a recent sign-in or an authenticator these
    # answer a redirect (or 404) to a GET; the refused POSTs are the point here.
    *(
        Action(
            key=name,
            label=name.replace("_", "-"),
            role=LEARNER,
            url=rev(name),
            data=lambda w: {"code": "123456"},
            get_status=status,
        )
        for name, status in (
            ("mfa_activate_totp", 302),
            ("mfa_deactivate_totp", 404),
            ("mfa_reauthenticate", 302),
            ("mfa_generate_recovery_codes", 302),
            ("mfa_add_webauthn", 302),
            ("mfa_reauthenticate_webauthn", 302),
        )
    ),
    Action(
        key="mfa_authenticate",
        label="mfa-authenticate",
        role=ANONYMOUS,
        url=rev("mfa_authenticate"),
        data=lambda w: {"code": "123456"},
        get_status=302,
    ),
    *(
        Action(
            key=name,
            label=name.replace("_", "-"),
            role=LEARNER,
            url=webauthn_key(name),
            data=lambda w: {"name": "Renamed"},
            get_status=302,
        )
        for name in ("mfa_edit_webauthn", "mfa_remove_webauthn")
    ),
    # Single sign-on.
    Action(
        key="socialaccount_connections",
        label="sso-disconnect",
        role=LEARNER,
        url=rev("socialaccount_connections"),
        data=lambda w: {"account": str(w.identity["social_account"].pk)},
        get_status=200,
    ),
    Action(
        key="socialaccount_signup",
        label="sso-signup",
        role=ANONYMOUS,
        url=rev("socialaccount_signup"),
        data=lambda w: {"email": "someone@example.com"},
        get_status=302,
    ),
    # Django's admin of allauth's models.
    *django_admin_actions(
        "account", "emailaddress", lambda w: w.identity["email"].pk, lambda w: {"verified": ""}
    ),
    *django_admin_actions(
        "mfa", "authenticator", lambda w: w.identity["authenticator"].pk, lambda w: {}
    ),
    *django_admin_actions(
        "socialaccount", "socialapp", lambda w: w.identity["app"].pk, lambda w: {"name": "X"}
    ),
    *django_admin_actions(
        "socialaccount",
        "socialaccount",
        lambda w: w.identity["social_account"].pk,
        lambda w: {"uid": "someone-else"},
    ),
    *django_admin_actions(
        "socialaccount", "socialtoken", lambda w: w.identity["social_token"].pk, lambda w: {}
    ),
]

#: The account pages that only read.
#: Re-authentication by an emailed code is off (ACCOUNT_REAUTHENTICATION_METHODS): these
#: views take a POST, which is refused (403) before anything is sent.
IDENTITY_SAFE_BUT_TAKES_POST = {
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
}
IDENTITY_SAFE = {
    "wagtailadmin_login",  # a redirect to the site's sign-in page
    *IDENTITY_SAFE_BUT_TAKES_POST,
    "account_overview",
    "account_inactive",
    "account_email_verification_sent",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "mfa_index",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_list_webauthn",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    *(
        f"admin:{model}_history"
        for model in (
            "account_emailaddress",
            "mfa_authenticator",
            "socialaccount_socialapp",
            "socialaccount_socialaccount",
            "socialaccount_socialtoken",
        )
    ),
    *(
        f"django-admin/{path}/<path:object_id>/"
        for path in (
            "account/emailaddress",
            "mfa/authenticator",
            "socialaccount/socialapp",
            "socialaccount/socialaccount",
            "socialaccount/socialtoken",
        )
    ),
}
