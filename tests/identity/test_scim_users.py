"""SCIM Users: create, read, look up by filter, page, replace, update and delete people,
with the refusals a directory must understand (400, 404, 409)."""

from django.contrib.auth import get_user_model

import pytest

from accounts.models import DirectoryAccount, Profile
from tests.identity.scim_api import (
    ENTERPRISE,
    assert_scim_error,
    scim_fixture,  # noqa: F401 - fixture
    scim_token_fixture,  # noqa: F401 - fixture
    user_body,
)
from tests.learner.factories import UserFactory

User = get_user_model()
pytestmark = pytest.mark.django_db


def create(scim, username="ada@example.com", **extra) -> dict:
    response = scim.post("Users", user_body(username, **extra))
    assert response.status_code == 201, response.content
    return response.json()


class TestCreate:
    def test_creates_the_person_with_the_mapped_attributes(self, scim):
        boss = create(scim, "grace@example.com", name="Grace Hopper")
        extension = {"department": "Engineering", "manager": {"value": boss["id"]}}
        body = create(scim, userType="Contractor", **{ENTERPRISE: extension})

        user = User.objects.get(pk=body["id"])
        assert (user.username, user.email) == ("ada@example.com", "ada@example.com")
        assert (user.first_name, user.last_name, user.is_active) == ("Ada", "Lovelace", True)
        assert not user.has_usable_password()
        account = DirectoryAccount.objects.get(user=user)
        assert (account.external_id, account.department, account.employee_type) == (
            "ext-ada@example.com",
            "Engineering",
            "Contractor",
        )
        assert Profile.objects.get(user=user).manager_id == int(boss["id"])

        assert body["userName"] == "ada@example.com"
        assert body["externalId"] == "ext-ada@example.com"
        assert body["emails"] == [{"value": "ada@example.com", "type": "work", "primary": True}]
        assert body[ENTERPRISE]["manager"]["value"] == boss["id"]
        assert body["meta"]["location"].endswith(f"/scim/v2/Users/{body['id']}")

    def test_answers_201_with_the_location(self, scim):
        response = scim.post("Users", user_body("ada@example.com"))
        assert response.status_code == 201
        assert response["Location"] == response.json()["meta"]["location"]

    def test_duplicate_user_name_is_409_whatever_the_case(self, scim):
        create(scim)
        response = scim.post("Users", user_body("ADA@example.com"))
        assert_scim_error(response, 409, "uniqueness")
        assert User.objects.count() == 1

    def test_an_existing_local_account_name_is_409(self, scim):
        UserFactory(username="lena")
        assert_scim_error(scim.post("Users", user_body("lena")), 409, "uniqueness")

    @pytest.mark.parametrize(
        ("body", "scim_type"),
        [
            ('{"userName": "ada"', "invalidSyntax"),
            ("[1, 2]", "invalidSyntax"),
            ("{}", "invalidValue"),
            ('{"userName": ""}', "invalidValue"),
            ('{"userName": "ada lovelace"}', "invalidValue"),
            ('{"userName": "ada", "emails": [{"value": "not an address"}]}', "invalidValue"),
            ('{"userName": "ada", "active": "perhaps"}', "invalidValue"),
            ('{"userName": "ada", "name": "Ada"}', "invalidValue"),
            ('{"userName": {"nested": true}}', "invalidValue"),
        ],
    )
    def test_malformed_bodies_are_400(self, scim, body, scim_type):
        assert_scim_error(scim.post("Users", body), 400, scim_type)
        assert not User.objects.exists()

    def test_unknown_manager_is_400(self, scim):
        response = scim.post("Users", user_body("ada", **{ENTERPRISE: {"manager": "999"}}))
        assert_scim_error(response, 400, "invalidValue")


class TestRead:
    def test_get_by_id(self, scim):
        created = create(scim)
        response = scim.get(f"Users/{created['id']}")
        assert response.status_code == 200
        assert response.json() == created

    @pytest.mark.parametrize("resource_id", ["999999", "abc", "1.5", "9" * 40])
    def test_unknown_id_is_404(self, scim, resource_id):
        assert_scim_error(scim.get(f"Users/{resource_id}"), 404)
        assert_scim_error(scim.patch(f"Users/{resource_id}", {"op": "replace"}), 404)
        assert_scim_error(scim.delete(f"Users/{resource_id}"), 404)

    def test_filter_by_user_name_ignores_case(self, scim):
        created = create(scim)
        create(scim, "grace@example.com")
        body = scim.get("Users", filter='userName eq "Ada@Example.com"').json()
        assert body["totalResults"] == 1
        assert [r["id"] for r in body["Resources"]] == [created["id"]]
        assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]

    def test_filter_that_matches_nobody_is_an_empty_list(self, scim):
        body = scim.get("Users", filter='userName eq "8c1a1f5e-unknown"').json()
        assert (body["totalResults"], body["Resources"]) == (0, [])

    def test_filter_by_external_id(self, scim):
        created = create(scim)
        body = scim.get("Users", filter='externalId eq "ext-ada@example.com"').json()
        assert [r["id"] for r in body["Resources"]] == [created["id"]]

    @pytest.mark.parametrize(
        ("expression", "found"),
        [
            ('id eq "abc"', 0),
            ("active eq true", 1),
            ("active eq false", 0),
            ('emails.value eq "ADA@example.com"', 1),
        ],
    )
    def test_other_filters(self, scim, expression, found):
        create(scim)
        assert scim.get("Users", filter=expression).json()["totalResults"] == found

    @pytest.mark.parametrize(
        "expression",
        ['userName co "ada"', 'userName eq "a" or userName eq "b"', "title eq 'x'", "userName"],
    )
    def test_unsupported_filters_are_400(self, scim, expression):
        assert_scim_error(scim.get("Users", filter=expression), 400, "invalidFilter")

    def test_pages_with_start_index_and_count(self, scim):
        ids = [create(scim, f"person{n}")["id"] for n in range(5)]
        body = scim.get("Users", startIndex=2, count=2).json()
        assert (body["totalResults"], body["startIndex"], body["itemsPerPage"]) == (5, 2, 2)
        assert [r["id"] for r in body["Resources"]] == ids[1:3]
        assert scim.get("Users", count=0).json()["Resources"] == []
        assert_scim_error(scim.get("Users", count="many"), 400, "invalidValue")

    def test_superusers_are_not_provisioning_resources(self, scim, admin_user):
        listed = scim.get("Users").json()["Resources"]
        assert admin_user.username not in [r["userName"] for r in listed]
        assert_scim_error(scim.get(f"Users/{admin_user.pk}"), 404)
        patched = scim.patch(
            f"Users/{admin_user.pk}", {"op": "replace", "path": "active", "value": False}
        )
        assert_scim_error(patched, 404)
        admin_user.refresh_from_db()
        assert admin_user.is_active

    def test_the_list_costs_the_same_few_queries_for_any_page(
        self, scim, django_assert_max_num_queries
    ):
        boss = create(scim, "boss")
        for n in range(12):
            create(scim, f"person{n}", **{ENTERPRISE: {"manager": boss["id"]}})
        scim.get("Users")  # the token's last use is written at most once a minute
        with django_assert_max_num_queries(5):
            body = scim.get("Users").json()
        assert body["totalResults"] == 13


class TestReplaceAndUpdate:
    def test_put_replaces_what_it_is_given_and_clears_what_it_leaves_out(self, scim):
        created = create(scim, **{ENTERPRISE: {"department": "Sales"}})
        body = user_body("ada@example.com", name="Ada King", email="ada.king@example.com")
        response = scim.put(f"Users/{created['id']}", body)
        assert response.status_code == 200
        user = User.objects.get(pk=created["id"])
        assert (user.last_name, user.email) == ("King", "ada.king@example.com")
        assert DirectoryAccount.objects.get(user=user).department == ""

    def test_renaming_onto_another_user_name_is_409(self, scim):
        create(scim, "grace")
        ada = create(scim, "ada")
        patch = {"op": "Replace", "path": "userName", "value": "Grace"}
        assert_scim_error(scim.patch(f"Users/{ada['id']}", patch), 409, "uniqueness")
        assert User.objects.get(pk=ada["id"]).username == "ada"

    def test_entra_attribute_patch(self, scim):
        ada = create(scim)
        boss = create(scim, "boss")
        response = scim.patch(
            f"Users/{ada['id']}",
            {"op": "Replace", "path": "name.familyName", "value": "King"},
            {"op": "Add", "path": 'emails[type eq "work"].value', "value": "ak@example.com"},
            {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Research"},
            {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": boss["id"]},
            {"op": "Add", "path": 'phoneNumbers[type eq "work"].value', "value": "123"},
            {"op": "Replace", "path": "externalId", "value": "new-ext"},
        )
        assert response.status_code == 200
        body = response.json()
        assert body["name"]["familyName"] == "King"
        assert body["emails"][0]["value"] == "ak@example.com"
        assert body[ENTERPRISE]["department"] == "Research"
        assert body[ENTERPRISE]["manager"]["value"] == boss["id"]
        assert body["externalId"] == "new-ext"

        removed = scim.patch(
            f"Users/{ada['id']}", {"op": "Remove", "path": f"{ENTERPRISE}:manager"}
        )
        assert ENTERPRISE not in removed.json() or "manager" not in removed.json()[ENTERPRISE]
        assert Profile.objects.get(user_id=ada["id"]).manager is None

    def test_pathless_patch_with_dotted_keys(self, scim):
        ada = create(scim)
        response = scim.patch(
            f"Users/{ada['id']}",
            {"op": "replace", "value": {"name.givenName": "Augusta", "userType": "Employee"}},
        )
        assert response.json()["name"]["givenName"] == "Augusta"
        assert DirectoryAccount.objects.get(user_id=ada["id"]).employee_type == "Employee"

    @pytest.mark.parametrize(
        "operations",
        [
            [{"op": "frobnicate", "path": "active", "value": False}],
            [{"op": "remove"}],
            [{"op": "replace", "value": "not an object"}],
            [{"op": "replace", "path": "name[[", "value": "x"}],
            [],
        ],
    )
    def test_malformed_patches_are_400(self, scim, operations):
        ada = create(scim)
        assert_scim_error(scim.patch(f"Users/{ada['id']}", *operations), 400)


class TestDelete:
    def test_delete_deactivates_keeps_the_account_and_hides_it(self, scim):
        ada = create(scim)
        assert scim.delete(f"Users/{ada['id']}").status_code == 204
        user = User.objects.get(pk=ada["id"])
        assert not user.is_active
        assert_scim_error(scim.get(f"Users/{ada['id']}"), 404)
        assert scim.get("Users", filter='userName eq "ada@example.com"').json()["totalResults"] == 0
        assert_scim_error(scim.delete(f"Users/{ada['id']}"), 404)

    def test_creating_a_deleted_user_name_again_brings_the_account_back(self, scim):
        ada = create(scim)
        scim.delete(f"Users/{ada['id']}")
        again = create(scim, name="Ada King")
        assert again["id"] == ada["id"]
        assert again["active"] is True
        assert User.objects.get(pk=ada["id"]).last_name == "King"
