"""Fixtures for the catalog tests: one member of each shipped editorial group."""

import pytest

from tests.catalog.admin_forms import member_of


@pytest.fixture
def instructor(db):
    """A member of the shipped Instructors group, instructing no course yet."""
    return member_of("Instructors", "ines")


@pytest.fixture
def reviewer(db):
    """A member of the shipped Reviewers group."""
    return member_of("Reviewers", "rafa")
