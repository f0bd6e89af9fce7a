"""The API's admin: service-account tokens and webhooks. Each module registers its own
hooks when imported."""

from . import token_admin  # noqa: F401 - registers its hooks
from .webhooks import admin as webhook_admin  # noqa: F401 - registers its hooks
