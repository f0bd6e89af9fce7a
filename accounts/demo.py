"""Demo accounts, one per role, for ``manage.py load_demo``.

Every demo user has a fixed, documented password so that anyone trying Fledge can sign
in as each role. ``FLEDGE_DEMO_PASSWORD`` replaces all of them with one password of
your choosing (it must pass the site's password validators). These accounts are for
demonstrations only: never load the demo on a site with real users.

Re-running resets each account's names, email (confirmed), flags and password to the
documented values and adds it to its role group, leaving any other group memberships
alone. Staff roles set up an authenticator app at their first admin visit
(``FLEDGE_MFA_REQUIRED_FOR_STAFF``); a second factor once set up is kept.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured, ValidationError

from allauth.account.models import EmailAddress

#: The environment variable that, when set, is every demo user's password.
PASSWORD_ENV_VAR = "FLEDGE_DEMO_PASSWORD"  # noqa: S105 (a variable name, not a password)

# Role groups, created with their permissions by catalog's 0002 data migration.
INSTRUCTORS = "Instructors"
REVIEWERS = "Reviewers"
COMPLIANCE_ADMINS = "Compliance admins"
# Created by records' 0002 data migration.
DATA_PROTECTION_OFFICERS = "Data protection officers"


@dataclass(frozen=True)
class DemoUser:
    """One demo account: who it is, which role it plays and how it signs in."""

    username: str
    role: str
    first_name: str
    last_name: str
    #: The documented password's suffix: the password is ``fledge-demo-<password_key>``.
    password_key: str
    groups: tuple[str, ...] = ()
    is_superuser: bool = False
    #: Permissions given to the account itself ("app_label.codename"): the demo
    #: manager's admin access, which being someone's manager does not grant.
    permissions: tuple[str, ...] = ()

    @property
    def email(self) -> str:
        return f"{self.username}@example.com"


class DemoLogin(NamedTuple):
    """A row of the logins table that ``load_demo`` prints at the end."""

    username: str
    password: str
    role: str


#: The demo accounts, in the order the logins table lists them.
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "Superuser (everything)", "Alex", "Carter", "admin", is_superuser=True),
    DemoUser(
        "instructor", "Instructor (writes courses)", "Priya", "Shah", "instructor", (INSTRUCTORS,)
    ),
    DemoUser(
        "instructor2",
        "Instructor (another course; sees only its learners)",
        "Sam",
        "Rivera",
        "instructor2",
        (INSTRUCTORS,),
    ),
    DemoUser("reviewer", "Reviewer (approves courses)", "Tom", "Okafor", "reviewer", (REVIEWERS,)),
    DemoUser(
        "compliance",
        "Compliance admin (required training)",
        "Maria",
        "Lopez",
        "compliance",
        (COMPLIANCE_ADMINS,),
    ),
    DemoUser(
        "privacy",
        "Data protection officer (anyone's data, erasure)",
        "Dana",
        "Price",
        "privacy",
        (DATA_PROTECTION_OFFICERS,),
    ),
    DemoUser(
        "manager",
        "Manager (required training of their people)",
        "Morgan",
        "Reyes",
        "manager",
        permissions=("wagtailadmin.access_admin",),
    ),
    DemoUser("learner", "Learner", "Jamie", "Lee", "learner"),
    DemoUser("learner2", "Learner", "Chris", "Novak", "learner"),
)


def demo_password(demo_user: DemoUser) -> str:
    """The demo user's password: ``FLEDGE_DEMO_PASSWORD`` if set, else the documented one."""
    return os.environ.get(PASSWORD_ENV_VAR) or f"fledge-demo-{demo_user.password_key}"


def demo_user(username: str) -> AbstractUser | None:
    """A demo account by username (``"instructor"``, ``"reviewer"``…), or None before
    the accounts demo has run. Other apps' demo modules use it to attribute content."""
    return get_user_model().objects.filter(username=username).first()


def _role_groups(names: tuple[str, ...]) -> list[Group]:
    groups = list(Group.objects.filter(name__in=names))
    missing = set(names) - {group.name for group in groups}
    if missing:
        raise ImproperlyConfigured(
            f"Missing role group(s) {', '.join(sorted(missing))}: run `manage.py migrate` first."
        )
    return groups


def ensure_demo_user(spec: DemoUser) -> tuple[AbstractUser, bool]:
    """Create or reset one demo account; return it and whether it was created.

    The password is only re-hashed when it differs from the documented one, so
    re-running the demo does not sign that user out of their open sessions.
    Raises ``ValidationError`` when the password fails the site's validators.
    """
    user_model = get_user_model()
    user = user_model.objects.filter(username=spec.username).first()
    created = user is None
    if created:
        user = user_model(username=spec.username)
    user.first_name = spec.first_name
    user.last_name = spec.last_name
    user.email = spec.email
    user.is_active = True
    user.is_superuser = spec.is_superuser
    # Only the superuser uses Django's own admin; Wagtail admin access comes from groups.
    user.is_staff = spec.is_superuser
    password = demo_password(spec)
    if created or not user.check_password(password):
        try:
            validate_password(password, user)
        except ValidationError as error:
            source = f"{PASSWORD_ENV_VAR} " if os.environ.get(PASSWORD_ENV_VAR) else ""
            raise ValidationError(
                [f"The {source}password for demo user {spec.username} is refused.", *error.messages]
            ) from error
        user.set_password(password)
    user.save()
    # The demo's addresses are made up: count them as confirmed, as setting up a second
    # factor asks of an address that is on file (the staff roles do at their first admin
    # visit).
    EmailAddress.objects.update_or_create(
        user=user, email=spec.email, defaults={"verified": True, "primary": True}
    )
    if spec.groups:
        user.groups.add(*_role_groups(spec.groups))
    for name in spec.permissions:
        app_label, codename = name.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user, created


def load(*, log: Callable[[str], None]) -> list[DemoLogin]:
    """Create or reset the demo accounts; return their logins for the summary table."""
    logins = []
    for spec in DEMO_USERS:
        user, created = ensure_demo_user(spec)
        groups = ", ".join(spec.groups) or (
            "superuser" if spec.is_superuser else "admin access" if spec.permissions else "no group"
        )
        log(f"{'Created' if created else 'Reset'} user {user.username} ({groups})")
        logins.append(DemoLogin(spec.username, demo_password(spec), spec.role))
    return logins
