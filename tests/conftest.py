"""Fixtures shared by the whole suite."""

import pytest

from tests.catalog.factories import site_catalog


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test passwords cheaply: the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def temporary_media_root(settings, tmp_path_factory):
    """Keep uploaded and generated files (certificate PDFs too) out of the project folder."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    settings.PRIVATE_MEDIA_ROOT = tmp_path_factory.mktemp("private-media")


@pytest.fixture
def catalog(db):
    """The site's catalog page, created by the data migration."""
    return site_catalog()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: cached pages and outlines from another
    test's rolled-back data must not leak into this one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def one_rate_window(monkeypatch):
    """Pin the rate limiter's clock to the middle of one window, so a test that makes
    ``limit`` requests cannot see its count reset at a minute boundary."""
    from types import SimpleNamespace

    from certificates import ratelimit

    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: 1_800_000_030.0))
