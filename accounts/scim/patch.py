"""PATCH operations (RFC 7644 §3.5.2) as Entra ID and Okta send them, and the attribute
paths that both PATCH and full resources (POST, PUT) use.

What the directories actually send, and what is accepted here:

- ``op`` in any case: Entra sends ``"Add"``, ``"Replace"``, ``"Remove"``;
- a ``path`` (``"active"``, ``"name.givenName"``, ``"emails[type eq \\"work\\"].value"``,
  ``"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"``,
  ``"members"``, ``"members[value eq \\"42\\"]"``), or none with an object of
  attributes as the value (``{"active": false}``; Entra's keys may themselves be
  paths, ``{"name.givenName": "Ada"}``);
- booleans as JSON booleans or as the strings ``"True"``/``"False"`` (Entra);
- the manager as ``{"value": "7"}`` or a bare ``"7"`` (Entra).

Attributes Fledge does not keep are ignored, so a directory's default mapping works.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import ScimError
from .schemas import ENTERPRISE_URN, GROUP_URN, PATCH_URN, USER_URN

OPS = frozenset({"add", "replace", "remove"})

_PATH = re.compile(
    r"""^(?P<attribute>[A-Za-z$][\w$-]*)
    (?:\[\s*(?P<filter_attribute>[A-Za-z][\w.-]*)\s+eq\s+
        (?P<filter_value>"(?:[^"\\]|\\.)*"|true|false)\s*\])?
    (?:\.(?P<sub>[A-Za-z$][\w$-]*))?$""",
    re.IGNORECASE | re.VERBOSE,
)


@dataclass(frozen=True)
class Path:
    """An attribute path, lower-cased. ``namespace`` is ``"enterprise"`` for the
    enterprise extension, else ``"core"``; an empty ``attribute`` is the whole
    extension (its value an object of attributes)."""

    namespace: str = "core"
    attribute: str = ""
    sub: str = ""
    #: ``members[value eq "42"]`` → ("value", "42").
    selector: tuple[str, str] | None = None


@dataclass(frozen=True)
class Operation:
    op: str
    path: Path | None
    value: object


def parse_path(text: str) -> Path:
    """``text`` as a :class:`Path`, or 400 ``invalidPath``."""
    if not isinstance(text, str) or not text.strip():
        raise ScimError("An operation's path must be a non-empty string.", scim_type="invalidPath")
    text = text.strip()
    lowered = text.lower()
    namespace = "core"
    enterprise = ENTERPRISE_URN.lower()
    if lowered == enterprise:
        return Path(namespace="enterprise")
    if lowered.startswith(enterprise + ":"):
        namespace, text = "enterprise", text[len(enterprise) + 1 :]
    else:
        for urn in (USER_URN.lower(), GROUP_URN.lower()):
            if lowered.startswith(urn + ":"):
                text = text[len(urn) + 1 :]
                break
    match = _PATH.match(text)
    if match is None:
        raise ScimError(f"Cannot read the path '{text}'.", scim_type="invalidPath")
    selector = None
    if match["filter_attribute"]:
        raw = match["filter_value"]
        value = raw[1:-1].replace('\\"', '"') if raw.startswith('"') else raw.lower()
        selector = (match["filter_attribute"].lower(), value)
    return Path(
        namespace=namespace,
        attribute=match["attribute"].lower(),
        sub=(match["sub"] or "").lower(),
        selector=selector,
    )


def object_paths(value: object, *, read_only: frozenset[str]) -> Iterator[tuple[Path, object]]:
    """Each attribute of an object of attributes (a resource, a path-less PATCH value,
    the enterprise extension) as ``(path, value)``; keys may be paths themselves
    (``"name.givenName"``). Read-only attributes and keys no attribute could have are
    skipped, as attributes Fledge does not keep are; a value that is not an object is
    400 ``invalidValue``."""
    if not isinstance(value, dict):
        raise ScimError("Expected an object of attributes.", scim_type="invalidValue")
    for key, item in value.items():
        if not isinstance(key, str) or key.lower() in read_only:
            continue
        try:
            path = parse_path(key)
        except ScimError:
            continue
        yield path, item


def parse_operations(body: dict) -> list[Operation]:
    """The operations of a PatchOp body, or 400 ``invalidSyntax``/``noTarget``."""
    schemas = body.get("schemas")
    if schemas is not None and PATCH_URN not in (schemas if isinstance(schemas, list) else []):
        raise ScimError(
            f"A PATCH body's schemas must include {PATCH_URN}.", scim_type="invalidSyntax"
        )
    raw = body.get("Operations", body.get("operations"))
    if not isinstance(raw, list) or not raw:
        raise ScimError("A PATCH body needs a list of Operations.", scim_type="invalidSyntax")
    operations = []
    for item in raw:
        if not isinstance(item, dict):
            raise ScimError("Each operation must be an object.", scim_type="invalidSyntax")
        op = item.get("op")
        op = op.lower() if isinstance(op, str) else op
        if op not in OPS:
            raise ScimError(
                f"Unknown operation {item.get('op')!r}: use add, replace or remove.",
                scim_type="invalidSyntax",
            )
        path = parse_path(item["path"]) if item.get("path") not in (None, "") else None
        if path is None and op == "remove":
            raise ScimError("A remove operation needs a path.", scim_type="noTarget")
        if path is None and not isinstance(item.get("value"), dict):
            raise ScimError(
                "An operation without a path needs an object of attributes as its value.",
                scim_type="invalidValue",
            )
        if op != "remove" and "value" not in item:
            raise ScimError(f"The {op} operation needs a value.", scim_type="invalidValue")
        operations.append(Operation(op=op, path=path, value=item.get("value")))
    return operations


def as_string(value: object, *, name: str) -> str:
    """A single text value. Entra sometimes wraps it: ``[{"value": "x"}]``."""
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
        value = value[0].get("value")
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ScimError(f"{name} must be a string.", scim_type="invalidValue")
    return str(value)


def as_boolean(value: object, *, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise ScimError(f"{name} must be true or false.", scim_type="invalidValue")


def as_reference(value: object, *, name: str) -> str | None:
    """An id given as ``{"value": id}`` or as the bare id; empty means none."""
    if isinstance(value, dict):
        value = value.get("value")
    text = as_string(value, name=name).strip()
    return text or None


def as_references(value: object, *, name: str) -> list[str]:
    """The ids of a multi-valued reference (``[{"value": "1"}, {"value": "2"}]``)."""
    if value is None:
        return []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise ScimError(f"{name} must be a list of {{'value': id}}.", scim_type="invalidValue")
    ids = []
    for item in value:
        ref = as_reference(item, name=name)
        if ref is not None:
            ids.append(ref)
    return ids
