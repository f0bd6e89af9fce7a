"""Accounts and sign-in (django-allauth): signing in and out, sign-up, email addresses,
passwords, two-factor authentication, connected sign-ins, and the admins' sign-in
redirects; and Django's admin pages of allauth's models.

The world's sessions are complete sign-ins (second factor included) but carry no
allauth authentication record, so the steps allauth guards with a recent sign-in
(setting up or changing a factor) first ask for the password again.
"""

from urllib.parse import urlencode

from django.urls import reverse

from ..conftest import reset_token_kwargs
from ..world_urls import rev
from .case import FORBIDDEN, NOT_FOUND, OK, Case, Outcome, every, redirect, signed_in
from .django_admin import django_admin_model


def to(url_name: str, label: str = "") -> Outcome:
    return redirect(lambda w: reverse(url_name), label or url_name)


def to_with_next(url_name: str, next_url: str, label: str) -> Outcome:
    """A redirect to ``url_name`` with ``next`` quoted as allauth quotes it."""
    return redirect(lambda w: f"{reverse(url_name)}?{urlencode({'next': next_url})}", label)


def sign_in_quoted(path: str) -> Outcome:
    """allauth's own sign-in redirect, which quotes ``next`` in full."""
    return to_with_next("account_login", path, "sign-in redirect")


def reauthenticate_first(url_name: str) -> Outcome:
    """allauth asks for the password again before a sensitive step."""
    path = reverse(url_name)
    return redirect(
        lambda w: f"{reverse('account_reauthenticate')}?{urlencode({'next': path})}",
        "re-authentication",
    )


#: Signed in already: the sign-in and sign-up pages send people where signing in does.
TO_MY_LEARNING = to("learner:dashboard", "My learning")
#: Pages of a sign-in in progress (the MFA step, a code): without one, back to the start.
NO_SIGN_IN_IN_PROGRESS = every(TO_MY_LEARNING).but(anonymous=to("account_login"))
#: Steps that need a recent sign-in (setting up or changing a factor).
RECENT_SIGN_IN = {
    name: every(reauthenticate_first(name)).but(anonymous=sign_in_quoted(reverse(name)))
    for name in ("mfa_activate_totp", "mfa_add_webauthn", "mfa_generate_recovery_codes")
}
#: MFA pages for someone with no authenticator: first a recent sign-in, by password.
MFA_REAUTHENTICATION = signed_in(to("account_reauthenticate"))


def webauthn_key(name: str) -> str:
    return reverse(name, args=[1])


IDENTITY = [
    # The admins sign in on the site's sign-in page.
    Case(
        key="wagtailadmin_login",
        label="admin-login",
        url=rev("wagtailadmin_login"),
        access=every(
            redirect(lambda w: f"{reverse('account_login')}?next=/admin/", "site sign-in")
        ),
        note="config/admin_urls.py: the site's sign-in, with its throttling and MFA step.",
    ),
    # Signing in and out, signing up.
    Case(
        key="account_login",
        label="login",
        url=rev("account_login"),
        access=every(TO_MY_LEARNING).but(anonymous=OK),
    ),
    Case(
        key="account_logout",
        label="logout",
        url=rev("account_logout"),
        access=signed_in().but(anonymous=redirect(lambda w: "/", "home")),
        note="A GET asks 'Are you sure?'; only the POST signs out.",
    ),
    Case(
        key="account_signup",
        label="signup",
        url=rev("account_signup"),
        access=every(TO_MY_LEARNING).but(anonymous=OK),
    ),
    Case(key="account_inactive", label="inactive", url=rev("account_inactive"), access=every(OK)),
    Case(
        key="account_confirm_login_code",
        label="login-code",
        url=rev("account_confirm_login_code"),
        access=NO_SIGN_IN_IN_PROGRESS,
    ),
    Case(
        key="account_reauthenticate",
        label="reauthenticate",
        url=rev("account_reauthenticate"),
        access=signed_in(),
    ),
    # Re-authentication by an emailed code (allauth 65.22) is switched off
    # (ACCOUNT_REAUTHENTICATION_METHODS): a password or a second factor confirms.
    Case(
        key="account_request_reauthentication_code",
        label="reauthenticate-code",
        url=rev("account_request_reauthentication_code"),
        access=signed_in(FORBIDDEN),
    ),
    Case(
        key="account_confirm_reauthentication_code",
        label="reauthenticate-code-confirm",
        url=rev("account_confirm_reauthentication_code"),
        access=signed_in(FORBIDDEN),
    ),
    Case(key="account_overview", label="account", url=rev("account_overview"), access=signed_in()),
    # Their own data (a ZIP): every signed-in person.
    Case(key="my_data", label="my-data", url=rev("my_data"), access=signed_in()),
    # Email addresses.
    Case(key="account_email", label="email", url=rev("account_email"), access=signed_in()),
    Case(
        key="account_email_verification_sent",
        label="email-verification-sent",
        url=rev("account_email_verification_sent"),
        access=every(OK),
    ),
    Case(
        key="account_confirm_email",
        label="confirm-email-bad-key",
        url=rev("account_confirm_email", "not-a-key"),
        access=every(OK),
        note="The page says the link is invalid; nothing is confirmed on a GET.",
    ),
    # Passwords.
    Case(
        key="account_change_password",
        label="password-change",
        url=rev("account_change_password"),
        access=signed_in(),
    ),
    Case(
        key="account_set_password",
        label="password-set",
        url=rev("account_set_password"),
        access=signed_in(to("account_change_password")),
        note="Everyone here has a password already: they change it instead.",
    ),
    Case(
        key="account_reset_password",
        label="password-reset",
        url=rev("account_reset_password"),
        access=every(OK),
    ),
    Case(
        key="account_reset_password_done",
        label="password-reset-done",
        url=rev("account_reset_password_done"),
        access=every(OK),
    ),
    Case(
        key="account_reset_password_from_key",
        label="password-reset-bad-key",
        url=lambda w: reverse(
            "account_reset_password_from_key",
            kwargs={**reset_token_kwargs(w.other.user), "key": "bad-key"},
        ),
        access=every(OK),
        note="The page says the link no longer works; no form.",
    ),
    Case(
        key="account_reset_password_from_key",
        label="password-reset-valid-key",
        url=lambda w: reverse(
            "account_reset_password_from_key", kwargs=reset_token_kwargs(w.other.user)
        ),
        access=every(
            redirect(
                lambda w: reverse(
                    "account_reset_password_from_key",
                    kwargs={**reset_token_kwargs(w.other.user), "key": "set-password"},
                ),
                "set-password redirect",
            )
        ),
        note="allauth moves the key into the session and drops it from the URL.",
    ),
    Case(
        key="account_reset_password_from_key_done",
        label="password-reset-complete",
        url=rev("account_reset_password_from_key_done"),
        access=every(OK),
    ),
    # Two-factor authentication.
    Case(key="mfa_index", label="mfa", url=rev("mfa_index"), access=signed_in()),
    Case(
        key="mfa_authenticate",
        label="mfa-authenticate",
        url=rev("mfa_authenticate"),
        access=NO_SIGN_IN_IN_PROGRESS,
    ),
    Case(
        key="mfa_reauthenticate",
        label="mfa-reauthenticate",
        url=rev("mfa_reauthenticate"),
        access=MFA_REAUTHENTICATION,
    ),
    *(
        Case(key=name, label=name.replace("_", "-"), url=rev(name), access=access)
        for name, access in RECENT_SIGN_IN.items()
    ),
    *(
        Case(
            key=name,
            label=name.replace("_", "-"),
            url=rev(name),
            access=signed_in(NOT_FOUND),
            note="Only with an authenticator app set up.",
        )
        for name in (
            "mfa_deactivate_totp",
            "mfa_view_recovery_codes",
            "mfa_download_recovery_codes",
        )
    ),
    Case(
        key="mfa_list_webauthn",
        label="mfa-list-webauthn",
        url=rev("mfa_list_webauthn"),
        access=signed_in(),
    ),
    Case(
        key="mfa_reauthenticate_webauthn",
        label="mfa-reauthenticate-webauthn",
        url=rev("mfa_reauthenticate_webauthn"),
        access=MFA_REAUTHENTICATION,
    ),
    *(
        Case(
            key=name,
            label=name.replace("_", "-"),
            url=lambda w, name=name: webauthn_key(name),
            access=every(
                redirect(
                    lambda w, name=name: (
                        f"{reverse('account_reauthenticate')}?"
                        + urlencode({"next": webauthn_key(name)})
                    ),
                    "re-authentication",
                )
            ).but(
                anonymous=redirect(
                    lambda w, name=name: (
                        f"{reverse('account_login')}?" + urlencode({"next": webauthn_key(name)})
                    ),
                    "sign-in redirect",
                )
            ),
            note="Someone else's key, or none: a 404 once re-authenticated.",
        )
        for name in ("mfa_edit_webauthn", "mfa_remove_webauthn")
    ),
    # Single sign-on (the providers' own URLs are in the single sign-on rows).
    Case(
        key="socialaccount_connections",
        label="sso-connections",
        url=rev("socialaccount_connections"),
        access=signed_in(),
    ),
    Case(
        key="socialaccount_login_cancelled",
        label="sso-cancelled",
        url=rev("socialaccount_login_cancelled"),
        access=every(OK),
    ),
    Case(
        key="socialaccount_login_error",
        label="sso-error",
        url=rev("socialaccount_login_error"),
        access=every(Outcome("401", 401)),
        note="allauth's 'the sign-in did not work' page answers 401.",
    ),
    Case(
        key="socialaccount_signup",
        label="sso-signup",
        url=rev("socialaccount_signup"),
        access=every(to("account_login")),
        note="Only while a single sign-on is waiting for details; else back to sign-in.",
    ),
    # Django's admin of allauth's models.
    *django_admin_model("account", "emailaddress", lambda w: w.identity["email"].pk),
    *django_admin_model("mfa", "authenticator", lambda w: w.identity["authenticator"].pk),
    *django_admin_model("socialaccount", "socialapp", lambda w: w.identity["app"].pk),
    *django_admin_model(
        "socialaccount", "socialaccount", lambda w: w.identity["social_account"].pk
    ),
    *django_admin_model("socialaccount", "socialtoken", lambda w: w.identity["social_token"].pk),
]
