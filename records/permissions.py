"""Who may read and erase whose personal records: one rule, read by every view,
button and command of this app.

- a person may always download **their own** data (the account page);
- the **evidence pack** of anyone: ``records.download_evidence`` (the "Compliance
  admins" and "Data protection officers" groups);
- **anyone's data**: ``records.export_personal_data`` ("Data protection officers");
- **erasure**: ``records.erase_person`` ("Data protection officers"), never of oneself,
  and of a superuser only by a superuser.

Superusers have every permission. Each also needs an active account; the admin views
need ``wagtailadmin.access_admin`` as every admin page does.
"""

from django.contrib.auth.models import AbstractBaseUser

EVIDENCE_PERMISSION = "records.download_evidence"
EXPORT_PERMISSION = "records.export_personal_data"
ERASE_PERMISSION = "records.erase_person"
#: The group the data migration ships with the three permissions.
DATA_PROTECTION_OFFICERS = "Data protection officers"


def _has(user: AbstractBaseUser, permission: str) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(permission))


def may_download_evidence(user: AbstractBaseUser) -> bool:
    return _has(user, EVIDENCE_PERMISSION)


def may_export(user: AbstractBaseUser, person: AbstractBaseUser) -> bool:
    """Whether ``user`` may download all of ``person``'s data."""
    if user.is_authenticated and user.is_active and user.pk == person.pk:
        return True
    return _has(user, EXPORT_PERMISSION)


def may_erase(user: AbstractBaseUser, person: AbstractBaseUser) -> bool:
    """Whether ``user`` may erase ``person``: not themselves, a superuser only when they
    are one."""
    if user.pk == person.pk or not _has(user, ERASE_PERMISSION):
        return False
    return user.is_superuser or not person.is_superuser


def may_open_records(user: AbstractBaseUser) -> bool:
    """Whether ``user`` may open the admin's "Personal records" pages at all."""
    return any(_has(user, p) for p in (EVIDENCE_PERMISSION, EXPORT_PERMISSION, ERASE_PERMISSION))
