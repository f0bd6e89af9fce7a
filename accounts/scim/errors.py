"""SCIM error documents (RFC 7644 §3.12): every refusal at ``/scim/v2/`` answers one,
with ``application/scim+json``, never an HTML page or a problem document."""

from rest_framework.response import Response

ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error"

#: scimType by the accounts services' refusal codes (``AccountError.code``).
SCIM_TYPES = {"uniqueness": "uniqueness", "invalid": "invalidValue", "mutability": "mutability"}


class ScimError(Exception):
    """A request SCIM refuses: its HTTP status, detail, and (for 400 and 409) the
    ``scimType`` keyword of RFC 7644 Table 9 (``invalidSyntax``, ``invalidFilter``,
    ``invalidValue``, ``invalidPath``, ``noTarget``, ``uniqueness``…)."""

    def __init__(self, detail: str, *, status: int = 400, scim_type: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status
        self.scim_type = scim_type


class NotFound(ScimError):
    def __init__(self, resource: str, resource_id: str) -> None:
        super().__init__(f"{resource} {resource_id} not found.", status=404)


def error_response(*, status: int, detail: str, scim_type: str = "") -> Response:
    body: dict[str, object] = {"schemas": [ERROR_URN], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return Response(body, status=status)
