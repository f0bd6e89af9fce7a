"""Permission sets are cached, and every change to who may do what applies at once."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.urls import reverse

import pytest

from tests.learner.factories import UserFactory, member_of

pytestmark = pytest.mark.django_db


def admin_access() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def reaches_admin(client) -> bool:
    return client.get(reverse("wagtailadmin_home")).status_code == 200


def test_permission_checks_after_the_first_cost_no_queries(django_assert_num_queries):
    user = UserFactory()
    assert not user.has_perm("wagtailadmin.access_admin")
    again = type(user).objects.get(pk=user.pk)  # a new request's user object
    with django_assert_num_queries(0):
        assert not again.has_perm("wagtailadmin.access_admin")


def test_joining_and_leaving_a_group_applies_at_once(client):
    user = UserFactory()
    client.force_login(user)
    assert not reaches_admin(client)
    staff = Group.objects.create(name="Staff")
    staff.permissions.add(admin_access())
    user.groups.add(staff)
    assert reaches_admin(client)
    user.groups.remove(staff)
    assert not reaches_admin(client)


def test_a_permission_taken_from_a_group_is_gone_at_once(client):
    staff = Group.objects.create(name="Staff")
    staff.permissions.add(admin_access())
    user = UserFactory()
    user.groups.add(staff)
    client.force_login(user)
    assert reaches_admin(client)
    staff.permissions.remove(admin_access())
    assert not reaches_admin(client)
    staff.permissions.add(admin_access())
    assert reaches_admin(client)
    staff.delete()
    assert not reaches_admin(client)


def test_direct_permissions_and_the_superuser_flag_apply_at_once(client):
    user = UserFactory()
    client.force_login(user)
    user.user_permissions.add(admin_access())
    assert reaches_admin(client)
    user.user_permissions.clear()
    assert not reaches_admin(client)
    user.is_superuser = True
    user.save()
    assert reaches_admin(client)
    user.is_superuser = False
    user.save()
    assert not reaches_admin(client)


def test_an_emptied_cache_is_filled_in_one_query_with_djangos_answer(
    django_assert_num_queries,
):
    """Own and group permissions read together, in one query, equal Django's own
    backend's two (for the shipped groups and a permission given directly)."""
    user = member_of("Compliance admins", "cora")
    user.groups.add(Group.objects.get(name="Instructors"))
    user.user_permissions.add(admin_access())
    cache.clear()
    fresh = type(user).objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        ours = fresh.get_all_permissions()
    django = ModelBackend().get_all_permissions(type(user).objects.get(pk=user.pk))
    assert ours == django and "wagtailadmin.access_admin" in ours and len(ours) > 5
