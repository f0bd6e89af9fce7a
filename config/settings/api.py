"""The REST API (``api``): Django REST framework and drf-spectacular.

``FLEDGE_API_RATE`` is the requests a token (or a signed-in session, or an anonymous
address) may make, e.g. ``600/minute``; ``FLEDGE_API_VERIFY_RATE`` limits public
certificate lookups per address, as on the web verify page.
"""

from .env import env_str

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
