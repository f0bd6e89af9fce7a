"""Fixtures shared by the whole suite."""

import pytest

from tests.catalog.factories import site_catalog


@pytest.fixture
def catalog(db):
    """The site's catalog page, created by the data migration."""
    return site_catalog()
