"""The ``filter`` and paging parameters of a SCIM list (RFC 7644 §3.4.2).

Directories look people and groups up by one attribute before they create them
(``userName eq "…"``, ``displayName eq "…"``, ``externalId eq "…"``), so Fledge
supports exactly that: one attribute, ``eq``, and a quoted string or a boolean.
``and``, ``or``, ``not``, other operators and other attributes answer 400
``invalidFilter`` rather than a wrong list.
"""

import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from .errors import ScimError

_FILTER = re.compile(
    r"""^\s*(?P<attribute>[A-Za-z][\w.:$-]*)\s+(?P<op>eq)\s+
    (?P<value>"(?:[^"\\]|\\.)*"|true|false)\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def parse_filter(text: str | None, *, attributes: dict[str, str]) -> Q:
    """The ORM condition for ``text``; ``attributes`` maps lower-case SCIM attributes
    to the lookups that compare them (``{"username": "username__iexact"}``)."""
    if not text:
        return Q()
    match = _FILTER.match(text)
    if match is None:
        raise ScimError(
            "Only filters of the form 'attribute eq \"value\"' are supported.",
            scim_type="invalidFilter",
        )
    attribute = match["attribute"].rsplit(":", 1)[-1].lower()
    lookup = attributes.get(attribute)
    if lookup is None:
        raise ScimError(
            f"Filtering on '{match['attribute']}' is not supported; use one of: "
            + ", ".join(sorted(attributes)),
            scim_type="invalidFilter",
        )
    raw = match["value"]
    try:
        value = json.loads(raw if raw.startswith('"') else raw.lower())
    except ValueError:
        raise ScimError(f"Cannot read the value {raw}.", scim_type="invalidFilter") from None
    return Q(**{lookup: value})


@dataclass(frozen=True)
class Page:
    start_index: int  # 1-based, as SCIM counts
    count: int

    @property
    def offset(self) -> int:
        return self.start_index - 1


def _integer(params, name: str, default: int) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ScimError(f"{name} must be a whole number.", scim_type="invalidValue") from None


def parse_page(params) -> Page:
    """``startIndex`` below 1 counts as 1, ``count`` below 0 as 0 (RFC 7644 §3.4.2.4);
    ``count`` is capped at ``FLEDGE_SCIM_MAX_RESULTS``, which is also its default."""
    limit = settings.FLEDGE_SCIM_MAX_RESULTS
    start = max(1, _integer(params, "startIndex", 1))
    count = min(max(0, _integer(params, "count", limit)), limit)
    return Page(start_index=start, count=count)
