"""Who may see and change whose required training: one rule, read by every report,
listing, export and menu of the compliance app.

Who sees what (DESIGN.md, "Roles"):

- a **compliance admin** is anyone with the ``compliance.view_assignment`` permission:
  the "Compliance admins" group has it (data migration ``compliance.0002``), and so
  does every superuser. They see everyone;
- a **manager** is a user named as ``manager`` on someone's :class:`accounts.Profile`.
  They see only their people. Reaching the Wagtail admin also needs the
  ``wagtailadmin.access_admin`` permission, which being a manager does not grant;
- anyone else sees nothing, and the report views refuse them.
"""

from django.db.models import QuerySet

from accounts.models import Profile

from .models import Assignment

#: The permission that makes a user a compliance admin for reporting purposes.
REPORT_PERMISSION = "compliance.view_assignment"
#: The permission needed to exempt people and lift exemptions.
EXEMPT_PERMISSION = "compliance.change_assignment"


# --- Who sees what -------------------------------------------------------------------


def is_compliance_admin(user) -> bool:
    """Whether ``user`` sees every person's compliance (superusers included)."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(REPORT_PERMISSION))


def is_manager(user) -> bool:
    """Whether ``user`` is someone's manager. Cached on the user object for the request,
    as the admin menu asks on every page."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_fledge_is_manager", None)
    if cached is None:
        cached = Profile.objects.filter(manager=user).exists()
        user._fledge_is_manager = cached
    return cached


def can_view_reports(user) -> bool:
    return is_compliance_admin(user) or is_manager(user)


def reportable_assignments(user) -> QuerySet[Assignment]:
    """The assignments ``user`` may report on: everyone's for a compliance admin, their
    people's for a manager, none for anyone else."""
    if is_compliance_admin(user):
        return Assignment.objects.all()
    if is_manager(user):
        return Assignment.objects.filter(user__profile__manager=user)
    return Assignment.objects.none()


def may_exempt(user) -> bool:
    """Whether ``user`` may change assignments (compliance admins): exemptions."""
    return user.has_perm(EXEMPT_PERMISSION)
