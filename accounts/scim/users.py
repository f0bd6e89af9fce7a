"""SCIM ``User`` resources: a person as JSON, and a request's attributes as the
arguments of ``accounts.services``.

| SCIM | Fledge |
| --- | --- |
| ``id`` | the user's id |
| ``userName`` | username (unique regardless of case) |
| ``name.givenName``, ``name.familyName`` | first name, last name |
| ``emails`` (primary, else work, else first) ``.value`` | email |
| ``active`` | may sign in (false: signed out, open required training closed) |
| ``externalId`` | ``DirectoryAccount.external_id`` |
| ``userType``, enterprise ``employeeType`` | ``DirectoryAccount.employee_type`` |
| enterprise ``department`` | ``DirectoryAccount.department`` |
| enterprise ``manager.value`` | ``Profile.manager`` |
| ``groups`` (read only) | the person's directory groups |
"""

from dataclasses import asdict, dataclass, fields, replace

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ObjectDoesNotExist

from .errors import ScimError
from .patch import (
    Operation,
    Path,
    as_boolean,
    as_reference,
    as_string,
    object_paths,
)
from .schemas import ENTERPRISE_URN, USER_URN

#: Top-level keys of a resource that are the server's, never the client's to set.
_READ_ONLY = frozenset({"schemas", "id", "meta", "groups", "password", "displayname"})


@dataclass
class UserFields:
    """What provisioning may say about a person, as service keyword arguments
    (``manager`` as the manager's SCIM id)."""

    username: str = ""
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    active: bool = True
    external_id: str = ""
    department: str = ""
    employee_type: str = ""
    manager: str | None = None

    @classmethod
    def of(cls, user: AbstractBaseUser) -> "UserFields":
        account = _directory_account(user)
        profile = _profile(user)
        return cls(
            username=user.username,
            email=user.email,
            first_name=user.first_name,
            last_name=user.last_name,
            active=user.is_active,
            external_id=account.external_id if account else "",
            department=account.department if account else "",
            employee_type=account.employee_type if account else "",
            manager=str(profile.manager_id) if profile and profile.manager_id else None,
        )

    def changes_from(self, before: "UserFields") -> dict[str, object]:
        """The fields that differ from ``before``."""
        return {
            field.name: getattr(self, field.name)
            for field in fields(self)
            if getattr(self, field.name) != getattr(before, field.name)
        }

    def as_kwargs(self) -> dict[str, object]:
        return asdict(self)


def _directory_account(user):
    try:
        return user.directory_account
    except ObjectDoesNotExist:
        return None


def _profile(user):
    try:
        return user.profile
    except ObjectDoesNotExist:
        return None


def _pick_email(value: object) -> str:
    """The primary address of an ``emails`` list, else the work one, else the first."""
    if value is None:
        return ""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ScimError("emails must be a list of {'value': …}.", scim_type="invalidValue")
    if not value:
        return ""
    chosen = (
        next((e for e in value if as_boolean(e.get("primary", False), name="primary")), None)
        or next((e for e in value if str(e.get("type", "")).lower() == "work"), None)
        or value[0]
    )
    return as_string(chosen.get("value"), name="emails.value")


def _set(state: UserFields, path: Path, value: object, *, remove: bool) -> UserFields:
    """``state`` with the attribute at ``path`` set to ``value`` (or cleared)."""
    attribute, sub = path.attribute, path.sub
    if path.namespace == "enterprise":
        if not attribute:
            if remove:
                return replace(state, department="", employee_type="", manager=None)
            return _set_object(state, value, namespace="enterprise")
        if attribute == "department":
            return replace(state, department="" if remove else as_string(value, name="department"))
        if attribute == "employeetype":
            text = "" if remove else as_string(value, name="employeeType")
            return replace(state, employee_type=text)
        if attribute == "manager":
            ref = None if remove else as_reference(value, name="manager")
            return replace(state, manager=ref)
        return state
    if attribute == "username":
        if remove:
            raise ScimError("userName cannot be removed.", scim_type="mutability")
        return replace(state, username=as_string(value, name="userName"))
    if attribute == "name":
        if not sub:
            if remove:
                return replace(state, first_name="", last_name="")
            if not isinstance(value, dict):
                raise ScimError("name must be an object.", scim_type="invalidValue")
            for key, part in value.items():
                state = _set(state, Path(attribute="name", sub=key.lower()), part, remove=False)
            return state
        if sub == "givenname":
            return replace(state, first_name="" if remove else as_string(value, name="givenName"))
        if sub == "familyname":
            return replace(state, last_name="" if remove else as_string(value, name="familyName"))
        return state
    if attribute == "emails":
        if remove:
            return replace(state, email="")
        if path.selector or sub == "value":
            return replace(state, email=as_string(value, name="emails.value"))
        return replace(state, email=_pick_email(value))
    if attribute == "active":
        if remove:
            raise ScimError("active cannot be removed.", scim_type="mutability")
        return replace(state, active=as_boolean(value, name="active"))
    if attribute == "externalid":
        return replace(state, external_id="" if remove else as_string(value, name="externalId"))
    if attribute == "usertype":
        return replace(state, employee_type="" if remove else as_string(value, name="userType"))
    return state  # an attribute Fledge does not keep


def _set_object(state: UserFields, value: object, *, namespace: str = "core") -> UserFields:
    """Each attribute of an object (a resource, a path-less PATCH value, the enterprise
    extension); keys may be paths themselves (``"name.givenName"``)."""
    for path, item in object_paths(value, read_only=_READ_ONLY):
        if namespace == "enterprise" and path.namespace == "core":
            path = replace(path, namespace="enterprise")
        state = _set(state, path, item, remove=False)
    return state


def fields_from_resource(body: dict, *, active: bool = True) -> UserFields:
    """The fields of a full resource (POST, PUT): what it leaves out is empty, except
    ``active``, which keeps the given default (true on create, as is on replace)."""
    state = _set_object(UserFields(active=active), body)
    if not state.username:
        raise ScimError("userName is required.", scim_type="invalidValue")
    return state


def fields_after_patch(before: UserFields, operations: list[Operation]) -> UserFields:
    state = replace(before)
    for operation in operations:
        remove = operation.op == "remove"
        if operation.path is None:
            state = _set_object(state, operation.value)
        else:
            state = _set(state, operation.path, operation.value, remove=remove)
    return state


def user_resource(user: AbstractBaseUser, *, base_url: str) -> dict:
    """The person as a SCIM User (with the enterprise extension). Expects the user from
    ``selectors.scim_users`` (directory account, manager and groups loaded)."""
    state = UserFields.of(user)
    location = f"{base_url}Users/{user.pk}"
    account = _directory_account(user)
    name = {"givenName": user.first_name, "familyName": user.last_name}
    formatted = user.get_full_name()
    if formatted:
        name["formatted"] = formatted
    resource: dict[str, object] = {
        "schemas": [USER_URN, ENTERPRISE_URN],
        "id": str(user.pk),
        "userName": user.username,
        "name": name,
        "displayName": formatted or user.username,
        "active": user.is_active,
        "emails": ([{"value": user.email, "type": "work", "primary": True}] if user.email else []),
        "groups": [
            {"value": str(group.pk), "display": group.name, "$ref": f"{base_url}Groups/{group.pk}"}
            for group in getattr(user, "directory_groups", [])
        ],
        "meta": {
            "resourceType": "User",
            "created": user.date_joined.isoformat(),
            "lastModified": (account.updated_at if account else user.date_joined).isoformat(),
            "location": location,
        },
    }
    if state.external_id:
        resource["externalId"] = state.external_id
    if state.employee_type:
        resource["userType"] = state.employee_type
    enterprise: dict[str, object] = {}
    if state.department:
        enterprise["department"] = state.department
    if state.manager:
        manager = user.profile.manager
        enterprise["manager"] = {
            "value": state.manager,
            "$ref": f"{base_url}Users/{state.manager}",
            "displayName": manager.get_full_name() or manager.username,
        }
    if enterprise:
        resource[ENTERPRISE_URN] = enterprise
    return resource
