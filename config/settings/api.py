"""The REST API (``api``): Django REST framework and drf-spectacular.

``FLEDGE_API_RATE`` is the requests a token (or a signed-in session, or an anonymous
address) may make, e.g. ``600/minute``; ``FLEDGE_API_VERIFY_RATE`` limits public
certificate lookups per address, as on the web verify page.
"""

from .env import env_bool, env_float, env_str

#: Session authentication is DRF's: same-origin calls from the site, with CSRF checks
#: on unsafe methods; the bearer token never needs CSRF (a form cannot send it).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api": env_str("FLEDGE_API_RATE", "600/minute"),
        "certificate-verify": env_str("FLEDGE_API_VERIFY_RATE", "30/minute"),
    },
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Fledge API",
    "DESCRIPTION": "The Fledge LMS REST API, version 1. Authenticate with a personal "
    "access token (`Authorization: Bearer fapi_…`); errors are RFC 9457 problem+json.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["api.schema.only_api_v1"],
}

# --- Webhooks (api.webhooks) ---------------------------------------------------------
#: Whether a webhook may be sent over plain http (its signature still proves the
#: sender, but anyone on the way could read it). Default: only with DJANGO_DEBUG.
FLEDGE_WEBHOOK_ALLOW_HTTP = env_bool("FLEDGE_WEBHOOK_ALLOW_HTTP", env_bool("DJANGO_DEBUG", True))
#: Seconds a receiver has to answer one POST before the attempt counts as failed.
FLEDGE_WEBHOOK_TIMEOUT_SECONDS = env_float("FLEDGE_WEBHOOK_TIMEOUT_SECONDS", 10.0)
#: Hours a delivery is retried (from its event, or from a resend) before it fails.
FLEDGE_WEBHOOK_RETRY_HOURS = env_float("FLEDGE_WEBHOOK_RETRY_HOURS", 24.0)
#: Seconds before the first retry; each next one waits twice as long, up to the cap.
FLEDGE_WEBHOOK_BACKOFF_SECONDS = env_float("FLEDGE_WEBHOOK_BACKOFF_SECONDS", 60.0)
FLEDGE_WEBHOOK_BACKOFF_MAX_SECONDS = env_float("FLEDGE_WEBHOOK_BACKOFF_MAX_SECONDS", 3600.0)
