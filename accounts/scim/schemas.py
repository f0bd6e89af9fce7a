"""The SCIM discovery documents (RFC 7643 §5–7): what Fledge supports, the resource
types, and the schemas of the attributes it keeps. Attributes Fledge does not keep
(phone numbers, addresses, titles…) are accepted and ignored, so they are not listed.
"""

from django.conf import settings

USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
CONFIG_URN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema"


def _attribute(
    name: str,
    *,
    type: str = "string",  # noqa: A002 - SCIM's own word
    required: bool = False,
    multi: bool = False,
    mutability: str = "readWrite",
    uniqueness: str = "none",
    returned: str = "default",
    case_exact: bool = False,
    description: str = "",
    sub: list[dict] | None = None,
) -> dict:
    attribute = {
        "name": name,
        "type": type,
        "multiValued": multi,
        "description": description,
        "required": required,
        "mutability": mutability,
        "returned": returned,
        "uniqueness": uniqueness,
    }
    if type in {"string", "reference"}:
        attribute["caseExact"] = case_exact
    if sub is not None:
        attribute["subAttributes"] = sub
    return attribute


_REF = _attribute("$ref", type="reference", mutability="immutable")
_MEMBER_VALUE = _attribute("value", mutability="immutable", description="The member's id.")
_DISPLAY = _attribute("display", mutability="readOnly")

USER_ATTRIBUTES = [
    _attribute(
        "userName",
        required=True,
        uniqueness="server",
        description="Sign-in name; unique regardless of case. Letters, digits and @.+-_.",
    ),
    _attribute(
        "name",
        type="complex",
        sub=[
            _attribute("givenName"),
            _attribute("familyName"),
            _attribute("formatted", mutability="readOnly"),
        ],
    ),
    _attribute("displayName", mutability="readOnly", description="Given and family name."),
    _attribute(
        "emails",
        type="complex",
        multi=True,
        description="One address is kept: the primary one (else the work one, else the first).",
        sub=[_attribute("value"), _attribute("type"), _attribute("primary", type="boolean")],
    ),
    _attribute("userType", description="Employee type: Employee, Contractor, Student…"),
    _attribute("active", type="boolean", description="False: cannot sign in."),
    _attribute(
        "groups",
        type="complex",
        multi=True,
        mutability="readOnly",
        sub=[_attribute("value", mutability="readOnly"), _REF, _DISPLAY],
    ),
]

ENTERPRISE_ATTRIBUTES = [
    _attribute("department"),
    _attribute("employeeType", description="Stored as the core userType."),
    _attribute(
        "manager",
        type="complex",
        description="Receives the person's overdue escalations and weekly digest.",
        sub=[_attribute("value", description="The manager's id."), _REF, _DISPLAY],
    ),
]

GROUP_ATTRIBUTES = [
    _attribute("displayName", required=True, uniqueness="server"),
    _attribute("members", type="complex", multi=True, sub=[_MEMBER_VALUE, _REF, _DISPLAY]),
]

SCHEMAS = [
    (USER_URN, "User", "A person who learns in Fledge.", USER_ATTRIBUTES),
    (ENTERPRISE_URN, "EnterpriseUser", "Where the person sits.", ENTERPRISE_ATTRIBUTES),
    (GROUP_URN, "Group", "A group; required training may be assigned to it.", GROUP_ATTRIBUTES),
]


def schema_documents(base_url: str) -> list[dict]:
    return [
        {
            "schemas": [SCHEMA_URN],
            "id": urn,
            "name": name,
            "description": description,
            "attributes": attributes,
            "meta": {"resourceType": "Schema", "location": f"{base_url}Schemas/{urn}"},
        }
        for urn, name, description, attributes in SCHEMAS
    ]


def resource_type_documents(base_url: str) -> list[dict]:
    return [
        {
            "schemas": [RESOURCE_TYPE_URN],
            "id": "User",
            "name": "User",
            "endpoint": "/Users",
            "description": "People",
            "schema": USER_URN,
            "schemaExtensions": [{"schema": ENTERPRISE_URN, "required": False}],
            "meta": {"resourceType": "ResourceType", "location": f"{base_url}ResourceTypes/User"},
        },
        {
            "schemas": [RESOURCE_TYPE_URN],
            "id": "Group",
            "name": "Group",
            "endpoint": "/Groups",
            "description": "Groups",
            "schema": GROUP_URN,
            "schemaExtensions": [],
            "meta": {"resourceType": "ResourceType", "location": f"{base_url}ResourceTypes/Group"},
        },
    ]


def service_provider_config(base_url: str) -> dict:
    return {
        "schemas": [CONFIG_URN],
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": settings.FLEDGE_SCIM_MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "Bearer token",
                "description": "A provisioning token created in Fledge's admin "
                "(Settings → Provisioning tokens), sent as 'Authorization: Bearer <token>'.",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base_url}ServiceProviderConfig",
        },
    }
