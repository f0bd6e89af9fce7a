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


@pytest.fixture(autouse=True)
def force_login_vouches_for_mfa(request, monkeypatch):
    """A test's ``client.force_login`` (or ``client.login``) stands for a person who
    signed in completely, second factor included, so staff reach the admins as before
    MFA was required of them (``accounts.mfa``). Tests of the MFA rule itself opt out
    with ``@pytest.mark.mfa_unproven`` and sign in through the real pages."""
    if request.node.get_closest_marker("mfa_unproven"):
        return
    from django.test.client import ClientMixin

    original = ClientMixin._login

    def login_with_mfa(self, user, backend=None):
        original(self, user, backend)
        vouch_for_mfa(self, user)

    monkeypatch.setattr(ClientMixin, "_login", login_with_mfa)


def vouch_for_mfa(client, user) -> None:
    """Mark ``client``'s session as having shown a second factor for ``user``."""
    from accounts.mfa import MFA_SESSION_KEY

    session = client.session
    session[MFA_SESSION_KEY] = {"user": str(user.pk), "method": "test", "at": 0}
    session.save()
