"""Identity settings: accounts and sign-in (django-allauth), the local-password switch,
email verification, and MFA for staff.

Star-imported at the end of ``config/settings/__init__.py``, after the settings it
extends: it adds allauth's apps and middleware to the lists defined there. Every
deploy-time value is an environment variable listed in ``.env.example``. Single sign-on
providers (OIDC, SAML) are configured in their own module; this one only installs
allauth's social accounts app they build on.
"""

from . import DEBUG, INSTALLED_APPS, MIDDLEWARE
from .env import env_bool, env_list, env_str

INSTALLED_APPS = [
    *INSTALLED_APPS,
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    # allauth's security key listing uses its template filters.
    "django.contrib.humanize",
]

# After sessions, authentication and messages, before any view.
_AFTER = MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1
MIDDLEWARE = [
    *MIDDLEWARE[:_AFTER],
    # allauth's bookkeeping of half-finished sign-ins (the MFA step, email codes).
    "allauth.account.middleware.AccountMiddleware",
    # Staff without a second factor are sent to enrol one before any admin page
    # (accounts.mfa: the policy is `mfa_required`).
    "accounts.mfa.StaffMFAMiddleware",
    *MIDDLEWARE[_AFTER:],
]

# --- Sign-in pages ------------------------------------------------------------------

LOGIN_URL = "account_login"
# Signing in lands on "My learning" (or on the `next` the sign-in page was given).
LOGIN_REDIRECT_URL = "learner:dashboard"
LOGOUT_REDIRECT_URL = "/"
# Wagtail's private pages and its admin send people to the site's sign-in page, so the
# admin gets the same throttling, MFA step and single sign-on buttons. Wagtail's own
# /admin/login/ only redirects there (config/admin_urls.py).
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
# Wagtail's admin password reset is replaced by the site's (config/admin_urls.py).
WAGTAIL_PASSWORD_RESET_ENABLED = False

#: Whether visitors may create their own learner account at /accounts/signup/.
FLEDGE_ALLOW_SIGNUP = env_bool("FLEDGE_ALLOW_SIGNUP", True)
#: Local passwords for everyone. Off: only superusers sign in with a password; everyone
#: else uses single sign-on, and password reset and sign-up are switched off.
FLEDGE_LOCAL_PASSWORDS = env_bool("FLEDGE_LOCAL_PASSWORDS", True)

# --- django-allauth -----------------------------------------------------------------

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm", "signup": "accounts.forms.SignupForm"}
# People sign in with their username or their email address.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
#: "optional" (the default: a confirmation email is sent, signing in does not wait for
#: it, so the demo works without a mail server), "mandatory" (no sign-in until the
#: address is confirmed) or "none".
ACCOUNT_EMAIL_VERIFICATION = env_str("FLEDGE_EMAIL_VERIFICATION", "optional")
# Answers never tell whether an account exists, and a password reset for an unknown
# address sends nothing (the site is not a way to mail strangers).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Sessions last FLEDGE_SESSION_AGE_SECONDS, as before: no "remember me" box.
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_USERNAME_MIN_LENGTH = 2
# Failed password sign-ins are throttled by django-axes (counted in the database, per
# username and address); allauth's own "login_failed" limit still guards MFA codes
# (accounts.adapters.AccountAdapter.pre_authenticate leaves passwords to axes). No cap
# on sign-ins per address: a class behind one campus address signs in at once.
ACCOUNT_RATE_LIMITS = {"login": None}
# Before a sensitive step (setting up or removing a factor, changing an address) people
# confirm with their password or a second factor, never with a code mailed to them: a
# mailbox alone must not be enough to change a staff member's second factor.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")
# allauth's rate limits and its "this authenticator code was used" marks live in the
# cache. While Redis is down (base.redis_cache fails open) they pause instead of
# refusing everyone: the limits' locks and the marks count as taken. Passwords stay
# throttled by axes, in the database.
FLEDGE_CACHE_ADD_FAILS_OPEN = ["allauth", "jwt:"]  # jwt: allauth's ID-token replay marks

# --- MFA ----------------------------------------------------------------------------

# Authenticator apps (TOTP) with recovery codes, and security keys or passkeys
# (WebAuthn) where the browser supports them.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = env_str("FLEDGE_SITE_NAME", "Fledge")
# WebAuthn needs HTTPS, except on http://127.0.0.1 and localhost while developing.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
#: Anyone who may reach the Wagtail admin or the Django admin must have a second factor
#: (accounts.mfa.mfa_required); without one they are sent to set it up first.
FLEDGE_MFA_REQUIRED_FOR_STAFF = env_bool("FLEDGE_MFA_REQUIRED_FOR_STAFF", True)
#: Whether a single sign-on that the identity provider says used MFA satisfies the rule
#: above (accounts.mfa.satisfy_mfa_from_idp).
FLEDGE_MFA_TRUST_IDP = env_bool("FLEDGE_MFA_TRUST_IDP", True)
#: OIDC ``amr`` values (RFC 8176) that count as MFA.
FLEDGE_MFA_IDP_AMR = env_list("FLEDGE_MFA_IDP_AMR", "mfa,otp,hwk,swk,sc")
#: ``acr`` values (OIDC) or SAML AuthnContextClassRef values that count as MFA.
FLEDGE_MFA_IDP_ACR = env_list(
    "FLEDGE_MFA_IDP_ACR",
    "http://schemas.openid.net/pape/policies/2007/06/multi-factor,"
    "http://schemas.microsoft.com/claims/multipleauthn",
)
