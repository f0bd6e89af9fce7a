"""How the OpenAPI document describes the bearer token authentication."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token (fapi_…), created on the account page.",
        }


def only_api_v1(endpoints):
    """The document describes this API only (SCIM's DRF views have their own standard)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
