"""SCIM Groups: directory groups and their members, as Entra ID and Okta change them;
Fledge's own role groups stay out of a directory's reach."""

from django.contrib.auth.models import Group, Permission

import pytest

from accounts.models import DirectoryGroup
from tests.identity.scim_api import (
    GROUP,
    assert_scim_error,
    scim_fixture,  # noqa: F401 - fixture
    scim_token_fixture,  # noqa: F401 - fixture
    user_body,
)

pytestmark = pytest.mark.django_db


def person(scim, username: str) -> str:
    response = scim.post("Users", user_body(username))
    assert response.status_code == 201, response.content
    return response.json()["id"]


def new_group(scim, name: str = "Nurses", members=(), **extra) -> dict:
    body = {
        "schemas": [GROUP],
        "displayName": name,
        "members": [{"value": m} for m in members],
        **extra,
    }
    response = scim.post("Groups", body)
    assert response.status_code == 201, response.content
    return response.json()


def member_names(group_id) -> set[str]:
    return set(Group.objects.get(pk=group_id).user_set.values_list("username", flat=True))


class TestGroups:
    def test_create_with_members_and_read_back(self, scim):
        ada, bob = person(scim, "ada"), person(scim, "bob")
        created = new_group(scim, members=[ada, bob], externalId="g-1")
        assert member_names(created["id"]) == {"ada", "bob"}
        assert created["externalId"] == "g-1"
        assert {m["value"] for m in created["members"]} == {ada, bob}
        assert scim.get(f"Groups/{created['id']}").json() == created
        listed = scim.get(f"Users/{ada}").json()["groups"]
        assert [g["display"] for g in listed] == ["Nurses"]

    def test_filter_by_display_name_without_members(self, scim):
        created = new_group(scim, members=[person(scim, "ada")])
        new_group(scim, "Porters")
        body = scim.get(
            "Groups", filter='displayName eq "nurses"', excludedAttributes="members"
        ).json()
        assert body["totalResults"] == 1
        assert body["Resources"][0]["id"] == created["id"]
        assert "members" not in body["Resources"][0]

    def test_entra_adds_and_removes_members_with_value_lists(self, scim):
        ada, bob = person(scim, "ada"), person(scim, "bob")
        group = new_group(scim)["id"]
        added = scim.patch(
            f"Groups/{group}",
            {"op": "Add", "path": "members", "value": [{"value": ada}, {"value": bob}]},
        )
        assert added.status_code == 204
        assert member_names(group) == {"ada", "bob"}
        scim.patch(
            f"Groups/{group}", {"op": "Remove", "path": "members", "value": [{"value": ada}]}
        )
        assert member_names(group) == {"bob"}

    def test_okta_removes_a_member_by_filter_and_renames_without_a_path(self, scim):
        ada, bob = person(scim, "ada"), person(scim, "bob")
        group = new_group(scim, members=[ada, bob])["id"]
        scim.patch(f"Groups/{group}", {"op": "remove", "path": f'members[value eq "{ada}"]'})
        assert member_names(group) == {"bob"}
        scim.patch(
            f"Groups/{group}", {"op": "replace", "value": {"id": group, "displayName": "Ward 5"}}
        )
        assert Group.objects.get(pk=group).name == "Ward 5"

    def test_put_replaces_name_and_members(self, scim):
        ada, bob = person(scim, "ada"), person(scim, "bob")
        group = new_group(scim, members=[ada])["id"]
        body = {"schemas": [GROUP], "displayName": "Ward 6", "members": [{"value": bob}]}
        response = scim.put(f"Groups/{group}", body)
        assert response.status_code == 200
        assert response.json()["displayName"] == "Ward 6"
        assert member_names(group) == {"bob"}

    def test_unknown_members_are_400_and_change_nothing(self, scim):
        group = new_group(scim, members=[person(scim, "ada")])["id"]
        patch = {"op": "add", "path": "members", "value": [{"value": "424242"}]}
        assert_scim_error(scim.patch(f"Groups/{group}", patch), 400, "invalidValue")
        assert member_names(group) == {"ada"}

    def test_duplicate_display_name_is_409(self, scim):
        new_group(scim)
        response = scim.post("Groups", {"schemas": [GROUP], "displayName": "NURSES"})
        assert_scim_error(response, 409, "uniqueness")

    def test_delete_removes_the_group_and_its_memberships(self, scim):
        ada = person(scim, "ada")
        group = new_group(scim, members=[ada])["id"]
        assert scim.delete(f"Groups/{group}").status_code == 204
        assert not Group.objects.filter(pk=group).exists()
        assert_scim_error(scim.get(f"Groups/{group}"), 404)
        assert scim.get(f"Users/{ada}").status_code == 200

    def test_unknown_group_is_404(self, scim):
        assert_scim_error(scim.get("Groups/999999"), 404)
        assert_scim_error(scim.put("Groups/999999", {"displayName": "x"}), 404)


class TestFledgeGroups:
    def test_role_groups_are_invisible_to_the_directory(self, scim, catalog):
        names = [g["displayName"] for g in scim.get("Groups").json()["Resources"]]
        assert "Compliance admins" not in names
        instructors = Group.objects.get(name="Instructors")
        assert_scim_error(scim.get(f"Groups/{instructors.pk}"), 404)

    def test_a_group_that_grants_permissions_cannot_be_taken_over(self, scim, catalog):
        response = scim.post("Groups", {"schemas": [GROUP], "displayName": "compliance admins"})
        assert_scim_error(response, 409, "mutability")
        assert not DirectoryGroup.objects.exists()

    def test_a_plain_group_of_the_same_name_is_taken_over(self, scim):
        staff = Group.objects.create(name="Staff")
        created = new_group(scim, "Staff", members=[person(scim, "ada")])
        assert created["id"] == str(staff.pk)
        assert member_names(staff.pk) == {"ada"}

    def test_members_the_directory_cannot_see_are_kept(self, scim, admin_user):
        ada = person(scim, "ada")
        group = new_group(scim, members=[ada])["id"]
        Group.objects.get(pk=group).user_set.add(admin_user)
        body = scim.get(f"Groups/{group}").json()
        assert [m["value"] for m in body["members"]] == [ada]
        scim.put(f"Groups/{group}", {"schemas": [GROUP], "displayName": "Nurses", "members": []})
        assert member_names(group) == {admin_user.username}

    def test_permissions_given_later_by_an_admin_are_kept(self, scim):
        group = new_group(scim)["id"]
        permission = Permission.objects.get(codename="view_group")
        Group.objects.get(pk=group).permissions.add(permission)
        scim.patch(f"Groups/{group}", {"op": "Replace", "path": "displayName", "value": "Ward"})
        assert Group.objects.get(pk=group).permissions.count() == 1
