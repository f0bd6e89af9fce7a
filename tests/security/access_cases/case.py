"""A row of the access table: a URL and, by role, what a GET on it answers.

An :class:`Outcome` is what one role gets (a status and, for redirects, where to);
an :class:`Access` names the outcome of every role of DESIGN.md (its fields are the
names in ``conftest.ROLES``); a :class:`Case` is one URL with its ``Access``.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from ..conftest import World

# --- Outcomes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a role gets: a status and, for redirects, where to (given the world and the
    requested path)."""

    label: str
    status: int
    location: Callable[[World, str], str] | None = None

    def mismatch(self, response, world: World, path: str) -> str | None:
        """Why ``response`` is not this outcome, or None when it is."""
        got = f"{response.status_code} {response.get('Location', '')}".strip()
        if response.status_code != self.status:
            return f"expected {self.label}, got {got}"
        if self.location is not None:
            expected = self.location(world, path)
            if response["Location"] != expected:
                return f"expected {self.label} to {expected}, got {got}"
        return None


def _login_at(url_name: str) -> Callable[[World, str], str]:
    return lambda world, path: redirect_to_login(path, reverse(url_name)).url


def redirect(to: Callable[[World], str], label: str = "") -> Outcome:
    """A documented redirect for a role that may use the URL."""
    return Outcome(label or "redirect", 302, lambda world, path: to(world))


OK = Outcome("200", 200)
#: Sign in first (the site's sign-in page, django-allauth's, with ``next``).
LOGIN = Outcome("sign-in redirect", 302, _login_at("account_login"))
#: The Wagtail admin's sign-in (visitors, and signed-in users without admin access):
#: the site's sign-in page too (``WAGTAILADMIN_LOGIN_URL``).
ADMIN_LOGIN = Outcome("admin sign-in redirect", 302, _login_at("account_login"))
#: Django admin sign-in (everyone who is not staff).
DJANGO_LOGIN = Outcome("django-admin sign-in redirect", 302, _login_at("admin:login"))
#: Wagtail's "Sorry, you do not have permission" redirect to the admin dashboard.
ADMIN_DENIED = Outcome(
    "admin permission-denied redirect", 302, lambda world, path: reverse("wagtailadmin_home")
)
FORBIDDEN = Outcome("403", 403)
NOT_FOUND = Outcome("404", 404)
POST_ONLY = Outcome("405", 405)


# --- Every role's outcome --------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Access:
    """What each role gets on a GET, least privileged first; the field names are the
    roles of ``conftest.ROLES``."""

    anonymous: Outcome
    learner: Outcome
    instructor: Outcome
    compliance_admin: Outcome
    superuser: Outcome

    def outcome(self, role: str) -> Outcome:
        return getattr(self, role)

    def but(self, **roles: Outcome) -> "Access":
        """The same outcomes, except for the roles named."""
        return replace(self, **roles)


def every(outcome: Outcome) -> Access:
    """The same outcome for every role, visitors included."""
    return Access(
        anonymous=outcome,
        learner=outcome,
        instructor=outcome,
        compliance_admin=outcome,
        superuser=outcome,
    )


def signed_in(outcome: Outcome = OK) -> Access:
    """Any signed-in user gets ``outcome``; visitors are asked to sign in."""
    return every(outcome).but(anonymous=LOGIN)


# --- A row -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Case:
    """One URL (with real objects) and what each role gets on a GET."""

    #: The URL pattern it reaches, as the inventory names it (``namespace:name``, or
    #: the route of an unnamed pattern).
    key: str
    #: The case in test ids (one pattern may have several cases).
    label: str
    url: Callable[[World], str]
    access: Access
    #: Why the expectation is what it is, where that is not obvious.
    note: str = ""

    @property
    def id(self) -> str:
        return self.label

    def outcome(self, role: str) -> Outcome:
        return self.access.outcome(role)
