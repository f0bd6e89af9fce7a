"""What an identity provider says about a person, and the groups it puts them in.

Pure functions, no database: ``accounts.sso.services`` applies what they decide.

**The group map** (``FLEDGE_SSO_GROUP_MAP``, or a provider's own ``group_map``) is a
JSON object from ``"<attribute>:<value>"`` to a Django group's name::

    {"groups:staff-security": "Security awareness",
     "department:Finance": "Finance",
     "role:Instructor": "Instructors",
     "employee_type:Contractor": "Contractors"}

The attributes are Fledge's four names (``ATTRIBUTES``); which claim (OIDC) or SAML
attribute each one is read from is the provider's ``claims`` setting, by default
``DEFAULT_CLAIM_NAMES`` (the names Entra ID, Okta, Keycloak and eduPerson directories
use). A value matches when the person's claim holds exactly that value (a claim may
hold several: a list of groups).

At each sign-in every group the map names is either joined (some rule matches) or left
(none does); groups the map does not name are never touched. An attribute the provider
says it left out (Entra ID's "groups overage", when a person is in too many groups for
the token) decides nothing: its groups are neither joined nor left on its account.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

#: Fledge's names for the directory attributes a group rule may test.
ATTRIBUTES = ("groups", "department", "role", "employee_type")

#: Where each attribute is found, in the order tried; every name found contributes.
DEFAULT_CLAIM_NAMES: dict[str, tuple[str, ...]] = {
    "groups": (
        "groups",
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups",
        "memberOf",
        "urn:oid:1.3.6.1.4.1.5923.1.5.1.1",  # isMemberOf
    ),
    "department": (
        "department",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/department",
        "urn:oid:2.16.840.1.113730.3.1.2",  # departmentNumber
    ),
    "role": (
        "roles",
        "role",
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.1",  # eduPersonAffiliation
    ),
    "employee_type": (
        "employee_type",
        "employeeType",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/employeetype",
        "urn:oid:2.16.840.1.113730.3.1.4",  # employeeType
    ),
}

#: SAML attributes whose presence says the named attribute was left out of the
#: assertion (Entra ID sends a Graph link instead of too many groups).
SAML_OVERAGE_MARKERS: dict[str, tuple[str, ...]] = {
    "groups": ("http://schemas.microsoft.com/claims/groups.link",),
}

#: SAML attribute with Entra ID's authentication methods (its ``amr``).
SAML_AMR_ATTRIBUTE = "http://schemas.microsoft.com/claims/authnmethodsreferences"


class GroupMapError(ValueError):
    """A group map that cannot be used; the message says which entry and why."""


@dataclass(frozen=True)
class GroupRule:
    """People whose ``attribute`` holds ``value`` belong to the group ``group``."""

    attribute: str
    value: str
    group: str


def parse_group_map(raw: str | Mapping[str, str] | None) -> tuple[GroupRule, ...]:
    """The rules of a group map given as a JSON object (text or already parsed).

    >>> parse_group_map('{"department:Finance": "Finance"}')
    (GroupRule(attribute='department', value='Finance', group='Finance'),)
    """
    if not raw:
        return ()
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as error:
            raise GroupMapError(f"The group map is not valid JSON: {error}") from error
    if not isinstance(raw, Mapping):
        raise GroupMapError('The group map must be a JSON object: {"groups:staff": "Staff"}.')
    rules = []
    for key, group in raw.items():
        attribute, colon, value = str(key).partition(":")
        if not colon or not value:
            raise GroupMapError(f'"{key}": write "<attribute>:<value>", e.g. "groups:staff".')
        if attribute not in ATTRIBUTES:
            raise GroupMapError(f'"{key}": "{attribute}" is not one of {", ".join(ATTRIBUTES)}.')
        if not isinstance(group, str) or not group.strip():
            raise GroupMapError(f'"{key}": the group must be a name (text).')
        rules.append(GroupRule(attribute=attribute, value=value, group=group.strip()))
    return tuple(rules)


def claim_names(overrides: Mapping[str, object] | None = None) -> dict[str, tuple[str, ...]]:
    """Each attribute's claim names: a provider's ``claims`` setting (a name or a list
    of names per attribute) over ``DEFAULT_CLAIM_NAMES``."""
    names = dict(DEFAULT_CLAIM_NAMES)
    for attribute, value in (overrides or {}).items():
        if attribute not in ATTRIBUTES:
            raise GroupMapError(f'claims: "{attribute}" is not one of {", ".join(ATTRIBUTES)}.')
        names[attribute] = (value,) if isinstance(value, str) else tuple(value)
    return names


def as_values(raw: object) -> set[str]:
    """A claim's value as a set of strings: a list of groups, one department, or
    nothing (``None``); numbers and booleans as their text."""
    if raw is None:
        return set()
    if isinstance(raw, str):
        return {raw.strip()} if raw.strip() else set()
    if isinstance(raw, Iterable) and not isinstance(raw, Mapping):
        return {str(item).strip() for item in raw if item is not None and str(item).strip()}
    return {str(raw)}


def attribute_values(
    sources: Iterable[Mapping[str, object]],
    names: Mapping[str, tuple[str, ...]],
    *,
    left_out: Iterable[str] = (),
) -> dict[str, set[str] | None]:
    """Each attribute's values across ``sources`` (an ID token and a userinfo answer,
    or a SAML assertion's attributes); ``None`` for the attributes in ``left_out``."""
    left_out = set(left_out)
    sources = list(sources)
    values: dict[str, set[str] | None] = {}
    for attribute in ATTRIBUTES:
        if attribute in left_out:
            values[attribute] = None
            continue
        found: set[str] = set()
        for source in sources:
            for name in names[attribute]:
                found |= as_values(source.get(name))
        values[attribute] = found
    return values


def oidc_left_out(sources: Iterable[Mapping[str, object]], names) -> set[str]:
    """Attributes an OpenID provider left out: claims named in ``_claim_names`` (the
    "distributed claims" Entra ID sends when a person has too many groups)."""
    left_out = set()
    for source in sources:
        distributed = source.get("_claim_names")
        if isinstance(distributed, Mapping):
            for attribute in ATTRIBUTES:
                if any(name in distributed for name in names[attribute]):
                    left_out.add(attribute)
    return left_out


def saml_left_out(attributes: Mapping[str, object]) -> set[str]:
    """Attributes a SAML assertion says it left out (``SAML_OVERAGE_MARKERS``)."""
    return {
        attribute
        for attribute, markers in SAML_OVERAGE_MARKERS.items()
        if any(marker in attributes for marker in markers)
    }


@dataclass(frozen=True)
class GroupChanges:
    """The managed groups to join and to leave; every other group is left alone."""

    join: frozenset[str]
    leave: frozenset[str]


def group_changes(
    rules: Iterable[GroupRule], values: Mapping[str, set[str] | None]
) -> GroupChanges:
    """Which mapped groups the person belongs in, from their attribute ``values``.

    A group is joined when any of its rules matches, and left when none matches and
    every attribute its rules test was sent (``None`` means left out: undecided).

    >>> rules = parse_group_map({"groups:a": "A", "department:Finance": "A", "groups:b": "B"})
    >>> group_changes(rules, {"groups": {"b"}, "department": set()})
    GroupChanges(join=frozenset({'B'}), leave=frozenset({'A'}))
    >>> group_changes(rules, {"groups": None, "department": {"Finance"}})
    GroupChanges(join=frozenset({'A'}), leave=frozenset())
    """
    matched: set[str] = set()
    undecided: set[str] = set()
    managed: set[str] = set()
    for rule in rules:
        managed.add(rule.group)
        held = values.get(rule.attribute)
        if held is None:
            undecided.add(rule.group)
        elif rule.value in held:
            matched.add(rule.group)
    return GroupChanges(join=frozenset(matched), leave=frozenset(managed - matched - undecided))


def as_bool(value: object) -> bool:
    """A claim's yes or no: ``True``, ``"true"``, ``"1"`` (some providers send text)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "t", "y"}
    return False
