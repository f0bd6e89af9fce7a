"""Provisioning: the SCIM 2.0 API, which answers a bearer token and never a browser's
session (every role, superusers included, gets its 401), and Settings → Provisioning
tokens, for superusers only."""

from django.urls import reverse

from ..world_urls import rev
from .case import Case, Outcome, every
from .project_admin import SUPERUSERS_ONLY, admin_views

#: SCIM's answer without a provisioning token: a SCIM error with a Bearer challenge.
NO_TOKEN = Outcome("401 (no provisioning token)", 401)
USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"


def scim(key: str, url, note: str = "") -> Case:
    return Case(key=key, label=key.replace(":", "-"), url=url, access=every(NO_TOKEN), note=note)


PROVISIONING = [
    scim("scim:config", rev("scim:config")),
    scim("scim:schemas", rev("scim:schemas")),
    scim("scim:schema", rev("scim:schema", USER_URN)),
    scim("scim:resource-types", rev("scim:resource-types")),
    scim("scim:resource-type", rev("scim:resource-type", "User")),
    scim("scim:users", rev("scim:users")),
    scim("scim:user", rev("scim:user", lambda w: w.me.user.pk)),
    scim("scim:groups", rev("scim:groups")),
    scim("scim:group", rev("scim:group", lambda w: w.instructors_group.pk)),
    scim(
        "scim:root",
        lambda w: reverse("scim:root") + "Bulk",
        note="Any other path under /scim/v2/: a SCIM 404, after the token check.",
    ),
    *admin_views(
        "provisioning_tokens",
        SUPERUSERS_ONLY,
        "index",
        "index_results",
        "add",
        "edit*",
        "delete*",
        "history*",
        "history_results*",
        "usage*",
        pk=lambda w: w.provisioning_token.pk,
    ),
]
