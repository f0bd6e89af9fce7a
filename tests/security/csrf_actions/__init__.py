"""The CSRF table: every project URL is an action (it takes POSTs) or safe.

``ACTIONS`` are kept by section (the front end, the project's admin screens, Django's
admin); ``SAFE`` lists the URLs that only read. ``tests/security/test_csrf.py`` reads
both.
"""

from .action import Action
from .django_admin import DJANGO_ADMIN_ACTIONS
from .front_end import FRONT_END_ACTIONS
from .project_admin import PROJECT_ADMIN_ACTIONS
from .safe import SAFE, SAFE_BUT_TAKES_POST

ACTIONS: list[Action] = FRONT_END_ACTIONS + PROJECT_ADMIN_ACTIONS + DJANGO_ADMIN_ACTIONS

__all__ = ["ACTIONS", "SAFE", "SAFE_BUT_TAKES_POST", "Action"]
