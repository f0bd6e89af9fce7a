"""Personal records settings: how long personal records are kept.

Star-imported at the end of ``config/settings/__init__.py``. Every deploy-time value is
an environment variable listed in ``.env.example``.
"""

from .env import env_int

#: Years personal records are kept (``manage.py retention_purge``, weekly): people
#: inactive and not signed in for longer are erased, old sent emails, finished
#: reminder logs and sign-in logs are deleted, and older audit entries are removed
#: (the removal itself is recorded in the chain). 0 keeps everything.
FLEDGE_RETENTION_YEARS = env_int("FLEDGE_RETENTION_YEARS", 0)
