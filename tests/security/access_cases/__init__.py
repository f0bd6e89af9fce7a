"""The access table: every project URL, with what each role gets on a GET.

``CASES`` is read by ``tests/security/test_access_matrix.py``; the rows are kept by
section: the front end, Django's admin, and the project's views in Wagtail's admin.
"""

from .case import ADMIN_LOGIN, OK, Access, Case, Outcome
from .django_admin import DJANGO_ADMIN
from .front_end import FRONT_END
from .project_admin import PROJECT_ADMIN

CASES: list[Case] = FRONT_END + DJANGO_ADMIN + PROJECT_ADMIN

__all__ = ["ADMIN_LOGIN", "CASES", "OK", "Access", "Case", "Outcome"]
