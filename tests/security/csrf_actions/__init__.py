"""The CSRF table: every project URL is an action (it takes POSTs) or safe.

``ACTIONS`` are kept by section (the front end, accounts and sign-in, the project's
admin screens, Django's admin, provisioning); ``SAFE`` lists the URLs that only read
(and, apart, the token-authenticated SCIM API).
``tests/security/test_csrf.py`` reads both.
"""

from .action import Action
from .api import API_ACTIONS, API_SAFE
from .django_admin import DJANGO_ADMIN_ACTIONS
from .front_end import FRONT_END_ACTIONS
from .identity import IDENTITY_ACTIONS, IDENTITY_SAFE, IDENTITY_SAFE_BUT_TAKES_POST
from .project_admin import PROJECT_ADMIN_ACTIONS
from .provisioning import PROVISIONING_ACTIONS, PROVISIONING_SAFE, SCIM_API
from .safe import SAFE as _SAFE
from .safe import SAFE_BUT_TAKES_POST as _SAFE_BUT_TAKES_POST
from .sso import SSO_ACTIONS, SSO_SAFE, SSO_SAFE_BUT_TAKES_POST

ACTIONS: list[Action] = (
    FRONT_END_ACTIONS
    + IDENTITY_ACTIONS
    + SSO_ACTIONS
    + PROJECT_ADMIN_ACTIONS
    + DJANGO_ADMIN_ACTIONS
    + PROVISIONING_ACTIONS
    + API_ACTIONS
)
SAFE = _SAFE | IDENTITY_SAFE | SSO_SAFE | PROVISIONING_SAFE | SCIM_API | API_SAFE
#: Django admin's bare-id redirects take any method (see ``safe.py``); the SCIM API
#: takes writes with a bearer token only, never a browser's cookies (``provisioning.py``);
#: identity providers post their answers to single sign-on (``sso.py``).
SAFE_BUT_TAKES_POST = (
    _SAFE_BUT_TAKES_POST
    | {key for key in IDENTITY_SAFE if key.startswith("django-admin/")}
    | IDENTITY_SAFE_BUT_TAKES_POST
    | SCIM_API
    | SSO_SAFE_BUT_TAKES_POST
)

__all__ = ["ACTIONS", "SAFE", "SAFE_BUT_TAKES_POST", "Action"]
