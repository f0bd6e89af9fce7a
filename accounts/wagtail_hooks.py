"""The accounts app in Wagtail's admin.

- Settings → *Provisioning tokens* (superusers only): the bearer tokens of SCIM
  provisioning (``accounts.scim.viewsets``), with their revocations in Site history.
"""

from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy

from . import erasure, personal_data
from .models import ProvisioningToken
from .scim.viewsets import ProvisioningTokenViewSet, SuperusersOnly
from .services.tokens import TOKEN_REVOKED

# --- Provisioning tokens -------------------------------------------------------------

register_permission_policy(ProvisioningToken, SuperusersOnly(ProvisioningToken))


@hooks.register("register_admin_viewset")
def register_provisioning_tokens():
    return ProvisioningTokenViewSet()


class TokenRevoked(LogFormatter):
    label = "Revoke provisioning token"

    def format_message(self, log_entry) -> str:
        return "Provisioning token revoked"


@hooks.register("register_log_actions")
def register_accounts_log_actions(actions):
    actions.register_action(TOKEN_REVOKED)(TokenRevoked)


# A person's records (records.hooks): their account in the data download and the
# evidence pack's identity; the account's own erasure runs last (order), after every
# other app's part has found the rows it needs by the person's identifiers.
hooks.register("register_person_export", personal_data.export_person)
hooks.register("register_person_erasure", erasure.erase_person, order=100)
hooks.register("register_retention_purge", erasure.purge_before)
