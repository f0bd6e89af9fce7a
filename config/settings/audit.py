"""Audit trail settings.

Star-imported at the end of ``config/settings/__init__.py``. Every deploy-time value is
an environment variable listed in ``.env.example``.
"""

from . import SECRET_KEY
from .env import env_str

#: Key of the pseudonyms that name people in the audit trail (HMAC-SHA256 of the user
#: id). Defaults to the secret key; set it on its own so rotating the secret key does
#: not change every pseudonym. Changing it never breaks the chain, only the link
#: between old and new entries about one person.
FLEDGE_AUDIT_PSEUDONYM_KEY = env_str("FLEDGE_AUDIT_PSEUDONYM_KEY") or SECRET_KEY
