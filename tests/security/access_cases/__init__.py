"""The access table: every project URL, with what each role gets on a GET.

``CASES`` is read by ``tests/security/test_access_matrix.py``; the rows are kept by
section: the front end, accounts and sign-in, Django's admin, the project's views
in Wagtail's admin, provisioning (the SCIM API and its tokens' screen), and the REST API.
"""

from .api import API, WEBHOOKS
from .case import ADMIN_LOGIN, OK, Access, Case, Outcome
from .django_admin import DJANGO_ADMIN
from .front_end import FRONT_END
from .identity import IDENTITY
from .project_admin import PROJECT_ADMIN
from .provisioning import PROVISIONING
from .sso import SSO

CASES: list[Case] = (
    FRONT_END + IDENTITY + SSO + DJANGO_ADMIN + PROJECT_ADMIN + PROVISIONING + API + WEBHOOKS
)

__all__ = ["ADMIN_LOGIN", "CASES", "OK", "Access", "Case", "Outcome"]
