"""Reads for SCIM: the people and groups provisioning may see, loaded with what their
resources show in a fixed number of queries, whatever the page size."""

from django.contrib.auth.models import Group
from django.db.models import Prefetch, QuerySet

from accounts.models import provisionable_users

from .errors import NotFound, ScimError


def directory_groups() -> QuerySet[Group]:
    """Groups provisioned by the directory (``DirectoryGroup``), by id."""
    return Group.objects.filter(directory_group__isnull=False).order_by("pk")


def scim_users() -> QuerySet:
    """The people provisioning may see, with their directory account, manager and
    directory groups (three queries for a page, one more for its count)."""
    groups = directory_groups().order_by("name")
    return (
        provisionable_users()
        .select_related("directory_account", "profile__manager")
        .prefetch_related(Prefetch("groups", queryset=groups, to_attr="directory_groups"))
        .order_by("pk")
    )


def scim_groups(*, with_members: bool = True) -> QuerySet[Group]:
    groups = directory_groups().select_related("directory_group")
    if with_members:
        people = provisionable_users().only("pk", "username", "first_name", "last_name")
        groups = groups.prefetch_related(
            Prefetch("user_set", queryset=people.order_by("pk"), to_attr="scim_members")
        )
    return groups


def _pk(resource_id: str) -> int | None:
    return int(resource_id) if resource_id.isdigit() and len(resource_id) < 19 else None


def scim_user(resource_id: str):
    """The person with this SCIM id, or :class:`NotFound` (404)."""
    pk = _pk(resource_id)
    user = scim_users().filter(pk=pk).first() if pk is not None else None
    if user is None:
        raise NotFound("User", resource_id)
    return user


def scim_group(resource_id: str, *, with_members: bool = True) -> Group:
    pk = _pk(resource_id)
    group = scim_groups(with_members=with_members).filter(pk=pk).first() if pk else None
    if group is None:
        raise NotFound("Group", resource_id)
    return group


def people_by_ids(ids: list[str], *, name: str) -> list:
    """The people with these SCIM ids, in order; 400 ``invalidValue`` naming any that
    provisioning cannot see (unknown, deleted, a superuser)."""
    wanted = {i: _pk(i) for i in dict.fromkeys(ids)}
    found = {
        user.pk: user
        for user in provisionable_users().filter(pk__in=[pk for pk in wanted.values() if pk])
    }
    unknown = [i for i, pk in wanted.items() if pk not in found]
    if unknown:
        raise ScimError(f"Unknown {name}: {', '.join(unknown)}.", scim_type="invalidValue")
    return [found[pk] for pk in wanted.values()]
