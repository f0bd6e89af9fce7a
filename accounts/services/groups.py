"""Groups as the directory provisions them, and their members.

A directory group is a Django group marked by :class:`~accounts.models.DirectoryGroup`.
Membership changes go through ``group.user_set``, so Django's ``m2m_changed`` fires and
everything that follows groups follows: cached permissions are retired
(``accounts.receivers``) and required training assigned or closed
(``compliance.receivers``).

A directory may take over an existing group of the same name only when that group
grants nothing (no model, page or collection permissions): otherwise a provisioning
token could put anyone into *Compliance admins* or a course's instructors.
"""

import logging
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from wagtail.models import GroupCollectionPermission, GroupPagePermission

from .. import audit_events
from ..models import DirectoryGroup, provisionable_users
from .errors import UNSET, AccountError

logger = logging.getLogger(__name__)


def _clean_name(value: str) -> str:
    name = (value or "").strip()
    max_length = Group._meta.get_field("name").max_length
    if not name:
        raise AccountError("A group needs a name.")
    if len(name) > max_length:
        raise AccountError(f"A group name has at most {max_length} characters.")
    return name


def _clean_external_id(value: str) -> str:
    external_id = (value or "").strip()
    max_length = DirectoryGroup._meta.get_field("external_id").max_length
    if len(external_id) > max_length:
        raise AccountError(f"An external id has at most {max_length} characters.")
    return external_id


def _grants_permissions(group: Group) -> bool:
    return (
        group.permissions.exists()
        or GroupPagePermission.objects.filter(group=group).exists()
        or GroupCollectionPermission.objects.filter(group=group).exists()
    )


def _name_taken(name: str, *, other_than: int | None = None) -> bool:
    taken = Group.objects.filter(name__iexact=name)
    if other_than is not None:
        taken = taken.exclude(pk=other_than)
    return taken.exists()


@transaction.atomic
def group_provision(
    *, name: str, external_id: str = "", members: Iterable[AbstractBaseUser] = ()
) -> Group:
    """Create a directory group with these members, or take over an existing group of
    that name that grants no permissions and is not yet the directory's.

    Refuses (409) a name that a directory group already has, or that belongs to a
    group granting permissions (``mutability``).
    """
    name = _clean_name(name)
    external_id = _clean_external_id(external_id)
    group = Group.objects.filter(name__iexact=name).first()
    if group is not None:
        if DirectoryGroup.objects.filter(group=group).exists():
            raise AccountError(
                f"A group named “{name}” already exists.", status=409, code="uniqueness"
            )
        if _grants_permissions(group):
            raise AccountError(
                f"“{name}” is a Fledge group that grants permissions; provisioning cannot "
                "manage it. Give the directory group another name.",
                status=409,
                code="mutability",
            )
        logger.info("Provisioning took over group %s", group.pk)
    else:
        try:
            with transaction.atomic():
                group = Group.objects.create(name=name)
        except IntegrityError:
            raise AccountError(
                f"A group named “{name}” already exists.", status=409, code="uniqueness"
            ) from None
        logger.info("Provisioned group %s", group.pk)
    DirectoryGroup.objects.create(group=group, external_id=external_id)
    added, _ = group_members_set(group=group, users=members)
    audit_events.directory_changed("group_provision", group, added=added)
    return group


@transaction.atomic
def group_update(
    *,
    group: Group,
    name: str = UNSET,
    external_id: str = UNSET,
    members: Iterable[AbstractBaseUser] = UNSET,
) -> Group:
    """Rename the group, change its external id, or set its members (all members the
    directory may see: see :func:`group_members_set`); what is :data:`UNSET` stays."""
    link, _ = DirectoryGroup.objects.get_or_create(group=group)
    if name is not UNSET:
        name = _clean_name(name)
        if name != group.name:
            if _name_taken(name, other_than=group.pk):
                raise AccountError(
                    f"A group named “{name}” already exists.", status=409, code="uniqueness"
                )
            group.name = name
            group.save(update_fields=["name"])
    if external_id is not UNSET:
        link.external_id = _clean_external_id(external_id)
    link.save()  # updated_at: the group's lastModified
    added = removed = 0
    if members is not UNSET:
        added, removed = group_members_set(group=group, users=members)
    given = {"name": name, "external_id": external_id, "members": members}
    sent = [field for field, value in given.items() if value is not UNSET]
    audit_events.directory_changed("group_update", group, fields=sent, added=added, removed=removed)
    return group


@transaction.atomic
def group_members_set(*, group: Group, users: Iterable[AbstractBaseUser]) -> tuple[int, int]:
    """Make ``users`` the group's members: add the missing, remove the others, each
    with one ``m2m_changed`` (required training follows). Members provisioning cannot
    see (superusers, people the directory deleted; ``provisionable_users``) stay: they
    are not the directory's to remove. Returns (added, removed)."""
    wanted = {user.pk for user in users}
    current = set(provisionable_users().filter(groups=group).values_list("pk", flat=True))
    added = wanted - current
    removed = current - wanted
    if added:
        group.user_set.add(*added)
    if removed:
        group.user_set.remove(*removed)
    if added or removed:
        DirectoryGroup.objects.filter(group=group).update(updated_at=timezone.now())
        logger.info("Group %s: %d added, %d removed", group.pk, len(added), len(removed))
    return len(added), len(removed)


@transaction.atomic
def group_deprovision(*, group: Group) -> None:
    """The directory deleted the group: its members leave it (so required training
    for it closes through the usual sync), then the group itself goes."""
    if group.user_set.exists():
        group.user_set.clear()
    logger.info("Deprovisioned group %s (%s)", group.pk, group.name)
    audit_events.directory_changed("group_deprovision", group)
    group.delete()
