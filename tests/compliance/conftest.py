"""Fixtures shared by the compliance tests: the people of the admin screens, the
Security requirement they manage, an empty Staff group, and the known report history.

A module that needs another fixture of one of these names defines its own, which takes
precedence in that module.
"""

from django.contrib.auth.models import Group

import pytest

from tests.catalog.factories import CoursePageFactory
from tests.compliance.factories import TrainingRequirementFactory
from tests.compliance.report_history import History, build_history
from tests.learner.factories import UserFactory, member_of


@pytest.fixture
def compliance_admin(catalog):
    """A member of the shipped Compliance admins group."""
    return member_of("Compliance admins", "cora", first_name="Cora", last_name="Admin")


@pytest.fixture
def instructor(catalog):
    """An instructor: admin access, no compliance rights."""
    return member_of("Instructors", "ines")


@pytest.fixture
def learner():
    """A learner without admin access."""
    return UserFactory(username="lena", first_name="Lena", last_name="Lind")


@pytest.fixture
def security(catalog):
    """Relative: due 30 days after assignment, yearly; reminders 14, 7 and 1 days before.
    No audience, so saving it assigns nobody."""
    return TrainingRequirementFactory(
        name="Security", course=CoursePageFactory(title="Security basics")
    )


@pytest.fixture
def staff():
    """An empty Staff group, for a requirement's audience."""
    return Group.objects.create(name="Staff")


@pytest.fixture
def history(catalog) -> History:
    """The known history of ``report_history``; no audience, so no sync adds to it."""
    return build_history()
