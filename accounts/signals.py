"""What the accounts app announces, for the apps above it to react to.

``accounts`` sits below ``learner`` and ``compliance`` in the layers (pyproject.toml),
so it never calls them; it sends these from its services, inside their transaction,
and the apps that care connect receivers (``compliance.receivers``).

Each is sent with ``sender`` the user model and ``user`` the person.
"""

from django.dispatch import Signal

#: A person was created by provisioning (SCIM), or a deleted one was brought back.
user_provisioned = Signal()
#: A person can no longer sign in (SCIM ``active: false`` or a directory delete): their
#: sessions are already ended; open obligations should close, history stays.
user_deactivated = Signal()
#: A deactivated person may sign in again: what was closed should reopen.
user_reactivated = Signal()
