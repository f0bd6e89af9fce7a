"""SCIM ``Group`` resources: a directory group as JSON, and a request's attributes and
member operations as the arguments of ``accounts.services``.

| SCIM | Fledge |
| --- | --- |
| ``id`` | the group's id |
| ``displayName`` | the group's name (unique regardless of case) |
| ``externalId`` | ``DirectoryGroup.external_id`` |
| ``members[].value`` | the ids of its members (people provisioning can see) |
"""

from dataclasses import dataclass, field, replace

from django.contrib.auth.models import Group

from .errors import ScimError
from .patch import Operation, Path, as_references, as_string, object_paths
from .schemas import GROUP_URN

_READ_ONLY = frozenset({"schemas", "id", "meta"})


@dataclass
class GroupFields:
    """What provisioning may say about a group; ``members`` as SCIM ids, in order."""

    name: str = ""
    external_id: str = ""
    members: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, group: Group, *, member_ids: list[str]) -> "GroupFields":
        link = getattr(group, "directory_group", None)
        return cls(
            name=group.name,
            external_id=link.external_id if link else "",
            members=list(member_ids),
        )


def _add(ids: list[str], new: list[str]) -> list[str]:
    return ids + [i for i in dict.fromkeys(new) if i not in ids]


def _set(state: GroupFields, path: Path, value: object, *, op: str) -> GroupFields:
    if path.namespace != "core":
        return state
    if path.attribute == "displayname":
        if op == "remove":
            raise ScimError("displayName cannot be removed.", scim_type="mutability")
        return replace(state, name=as_string(value, name="displayName"))
    if path.attribute == "externalid":
        text = "" if op == "remove" else as_string(value, name="externalId")
        return replace(state, external_id=text)
    if path.attribute != "members":
        return state  # an attribute Fledge does not keep
    if path.selector is not None:
        # members[value eq "42"]: Okta's way to remove one member.
        key, wanted = path.selector
        if key != "value":
            raise ScimError("Members can only be selected by value.", scim_type="invalidFilter")
        if op == "remove":
            return replace(state, members=[i for i in state.members if i != wanted])
        return replace(state, members=_add(state.members, [wanted]))
    ids = as_references(value, name="members")
    if op == "add":
        return replace(state, members=_add(state.members, ids))
    if op == "remove":
        # Entra removes with a value list; no value removes every member.
        if value is None:
            return replace(state, members=[])
        gone = set(ids)
        return replace(state, members=[i for i in state.members if i not in gone])
    return replace(state, members=list(dict.fromkeys(ids)))


def _set_object(state: GroupFields, value: object, *, op: str) -> GroupFields:
    for path, item in object_paths(value, read_only=_READ_ONLY):
        state = _set(state, path, item, op=op)
    return state


def fields_from_resource(body: dict) -> GroupFields:
    """The fields of a full resource (POST, PUT); members left out means none."""
    state = _set_object(GroupFields(), body, op="replace")
    if not state.name:
        raise ScimError("displayName is required.", scim_type="invalidValue")
    return state


def fields_after_patch(before: GroupFields, operations: list[Operation]) -> GroupFields:
    state = replace(before, members=list(before.members))
    for operation in operations:
        if operation.path is None:
            state = _set_object(state, operation.value, op=operation.op)
        else:
            state = _set(state, operation.path, operation.value, op=operation.op)
    return state


def group_resource(group: Group, *, base_url: str, members: list | None) -> dict:
    """The group as a SCIM Group; ``members`` None leaves them out
    (``excludedAttributes=members``)."""
    link = getattr(group, "directory_group", None)
    resource: dict[str, object] = {
        "schemas": [GROUP_URN],
        "id": str(group.pk),
        "displayName": group.name,
        "meta": {
            "resourceType": "Group",
            "created": link.created_at.isoformat() if link else None,
            "lastModified": link.updated_at.isoformat() if link else None,
            "location": f"{base_url}Groups/{group.pk}",
        },
    }
    if link and link.external_id:
        resource["externalId"] = link.external_id
    if members is not None:
        resource["members"] = [
            {
                "value": str(user.pk),
                "display": user.get_full_name() or user.username,
                "$ref": f"{base_url}Users/{user.pk}",
            }
            for user in members
        ]
    return resource
