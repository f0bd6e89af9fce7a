"""Account writes, by role: people (:mod:`.people`: provision, update, deactivate,
reactivate, deprovision), directory groups and their members (:mod:`.groups`), ending
a person's sessions (:mod:`.sessions`) and provisioning tokens (:mod:`.tokens`). The
public names are re-exported here, so ``from accounts import services`` reaches them.

Every service is keyword-only and one transaction. SCIM provisioning
(:mod:`accounts.scim`) only parses requests and calls these; what other apps must do
when a person comes or goes they learn from :mod:`accounts.signals`.
"""

from .errors import UNSET, AccountError
from .groups import group_deprovision, group_members_set, group_provision, group_update
from .people import (
    user_deactivate,
    user_deprovision,
    user_provision,
    user_reactivate,
    user_update,
)
from .sessions import user_sign_out_everywhere
from .tokens import (
    provisioning_token_authenticate,
    provisioning_token_create,
    provisioning_token_revoke,
)

__all__ = [
    "UNSET",
    "AccountError",
    "group_deprovision",
    "group_members_set",
    "group_provision",
    "group_update",
    "provisioning_token_authenticate",
    "provisioning_token_create",
    "provisioning_token_revoke",
    "user_deactivate",
    "user_deprovision",
    "user_provision",
    "user_reactivate",
    "user_sign_out_everywhere",
    "user_update",
]
