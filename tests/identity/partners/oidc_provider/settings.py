"""Settings of the test OpenID provider: a Django project of its own (not Fledge's),
with django-oauth-toolkit's OpenID Connect on, its RS256 signing key made when the
process starts, and its database a file in the folder the test gave it.

Read by ``python -m tests.identity.partners.oidc_provider CONFIG`` only, which sets
``FLEDGE_PARTNER_CONFIG`` (the configuration, whose folder holds the database) and
``FLEDGE_PARTNER_ISSUER`` (its own address) before Django starts.
"""

import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

HERE = Path(__file__).resolve().parent
CONFIG_PATH = Path(os.environ["FLEDGE_PARTNER_CONFIG"])
STATE_DIR = CONFIG_PATH.parent


def _signing_key_pem() -> str:
    """A fresh 2048-bit RSA key: the provider signs ID tokens with it (RS256)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


SECRET_KEY = "test-openid-provider-only"  # noqa: S105 - a throwaway process on 127.0.0.1
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.identity.partners.oidc_provider.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csrf",
            ]
        },
    }
]
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(STATE_DIR / "provider.sqlite3")}
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "/login/"
# Cookies are per host, not per port: names of its own keep the provider's session and
# CSRF cookies apart from any other site on 127.0.0.1.
SESSION_COOKIE_NAME = "partner_sessionid"
CSRF_COOKIE_NAME = "partner_csrftoken"

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _signing_key_pem(),
    "OIDC_ISS_ENDPOINT": os.environ["FLEDGE_PARTNER_ISSUER"],
    "OAUTH2_VALIDATOR_CLASS": "tests.identity.partners.oidc_provider.validator.PartnerValidator",
    "SCOPES": {
        "openid": "OpenID Connect",
        "profile": "Name and username",
        "email": "Email address",
    },
    "PKCE_REQUIRED": True,
    # pytest-django's live server is http://localhost:<port>: any port on loopback
    # addresses, as RFC 8252 allows (the registered URIs carry none).
    "ALLOW_LOCALHOST_LOOPBACK": True,
    # Short-lived codes, as real providers have them.
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 120,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
