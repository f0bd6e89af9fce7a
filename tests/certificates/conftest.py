"""Fixtures for the certificate tests."""

from django.core.cache import cache

import pytest


@pytest.fixture(autouse=True)
def empty_cache():
    """The verification rate limit counts in the cache: start every test at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def base_url(settings):
    """A fixed site address, so verification URLs in PDFs are predictable."""
    settings.WAGTAILADMIN_BASE_URL = "https://learn.example.org"
