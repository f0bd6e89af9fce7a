"""The people resources: users and directory groups for an administrator's ``admin``
token, through the account services SCIM uses (sync, sign-out and audit follow)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import pytest
from rest_framework.test import APIClient

from accounts import services
from audit.models import AuditEntry
from compliance.models import Assignment
from tests.compliance.factories import requirement
from tests.learner.factories import UserFactory, member_of

USERS = "/api/v1/users/"
GROUPS = "/api/v1/groups/"
PROBLEM = "application/problem+json"

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def api(bearer, admin):
    return bearer(admin, "admin")


@pytest.fixture
def crew(db):
    """A directory group with one member."""
    return services.group_provision(name="Site crew", members=[UserFactory(username="bob")])


class TestAccess:
    @pytest.mark.parametrize("url", [USERS, GROUPS, f"{USERS}1/", f"{GROUPS}1/"])
    def test_anonymous_is_401(self, db, url):
        response = APIClient().get(url)
        assert response.status_code == 401
        assert response["Content-Type"] == PROBLEM

    @pytest.mark.parametrize("url", [USERS, GROUPS])
    def test_wrong_scope_is_403(self, bearer, admin, url):
        response = bearer(admin, "read", "compliance:write").get(url)
        assert response.status_code == 403
        assert response["Content-Type"] == PROBLEM

    @pytest.mark.parametrize("url", [USERS, GROUPS])
    def test_a_compliance_admin_with_an_admin_token_is_403(self, bearer, catalog, url):
        cora = member_of("Compliance admins", "cora")
        response = bearer(cora, "admin").get(url)
        assert response.status_code == 403
        assert "administrators" in response.json()["detail"]

    def test_superusers_and_role_groups_are_404(self, api, admin, catalog):
        assert api.get(f"{USERS}{admin.pk}/").status_code == 404
        role = Group.objects.get(name="Compliance admins")
        assert api.get(f"{GROUPS}{role.pk}/").status_code == 404
        response = api.post(f"{GROUPS}{role.pk}/members/", {"user_id": admin.pk}, format="json")
        assert response.status_code == 404
        assert not role.user_set.filter(pk=admin.pk).exists()


class TestUsers:
    def test_list_and_filter_as_scim(self, api, admin, crew):
        UserFactory(username="ann", email="Ann@Example.com")
        body = api.get(USERS).json()
        assert [row["username"] for row in body["results"]] == ["bob", "ann"]
        assert body["results"][0]["groups"] == [{"id": crew.pk, "name": "Site crew"}]
        assert [
            r["username"] for r in api.get(USERS, {"email": "ann@example.COM"}).json()["results"]
        ] == ["ann"]
        assert api.get(USERS, {"is_active": "maybe"}).status_code == 400

    def test_create_provisions_through_the_service(self, api):
        response = api.post(
            USERS,
            {"username": "dana", "email": "dana@example.com", "external_id": "E-7"},
            format="json",
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert (body["username"], body["external_id"], body["is_active"]) == ("dana", "E-7", True)
        dana = get_user_model().objects.get(username="dana")
        assert not dana.has_usable_password()
        assert AuditEntry.objects.filter(action="fledge.account.scim_change").exists()

    def test_taken_and_invalid_names_are_refused(self, api, crew):
        taken = api.post(USERS, {"username": "BOB"}, format="json")
        assert taken.status_code == 409
        assert taken["Content-Type"] == PROBLEM
        assert api.post(USERS, {"username": "no spaces"}, format="json").status_code == 400
        assert api.post(USERS, {"email": "x@example.com"}, format="json").status_code == 400

    def test_deactivate_closes_required_training_and_manager_can_be_set(
        self, api, crew, django_capture_on_commit_callbacks
    ):
        bob = crew.user_set.get()
        boss = UserFactory(username="mona")
        training = requirement(name="Working at height")
        with django_capture_on_commit_callbacks(execute=True):
            training.audience_groups.add(crew)
        assert Assignment.objects.get(user=bob, requirement=training).is_open
        with django_capture_on_commit_callbacks(execute=True):
            response = api.patch(
                f"{USERS}{bob.pk}/", {"is_active": False, "manager_id": boss.pk}, format="json"
            )
        assert response.status_code == 200, response.content
        assert (response.json()["is_active"], response.json()["manager_id"]) == (False, boss.pk)
        assert not Assignment.objects.get(user=bob).is_open
        unknown = api.patch(f"{USERS}{bob.pk}/", {"manager_id": 99999999}, format="json")
        assert unknown.status_code == 400

    def test_unknown_person_is_404(self, api):
        assert api.patch(f"{USERS}99999999/", {"first_name": "X"}, format="json").status_code == 404


class TestGroups:
    def test_list_and_detail_show_directory_groups_only(self, api, crew, catalog):
        listed = api.get(GROUPS).json()["results"]
        assert [row["name"] for row in listed] == ["Site crew"]
        detail = api.get(f"{GROUPS}{crew.pk}/").json()
        assert [member["username"] for member in detail["members"]] == ["bob"]

    def test_create_a_group(self, api, crew):
        ann = UserFactory(username="ann")
        response = api.post(GROUPS, {"name": "Night shift", "member_ids": [ann.pk]}, format="json")
        assert response.status_code == 201
        assert [m["username"] for m in response.json()["members"]] == ["ann"]
        assert api.post(GROUPS, {"name": "site CREW"}, format="json").status_code == 409

    def test_membership_changes_sync_required_training_and_are_audited(
        self, api, crew, django_capture_on_commit_callbacks
    ):
        training = requirement(name="Working at height")
        training.audience_groups.add(crew)
        ann = UserFactory(username="ann")
        with django_capture_on_commit_callbacks(execute=True):
            added = api.post(f"{GROUPS}{crew.pk}/members/", {"user_id": ann.pk}, format="json")
        assert added.status_code == 200
        assert sorted(m["username"] for m in added.json()["members"]) == ["ann", "bob"]
        assert Assignment.objects.get(user=ann, requirement=training).is_open
        with django_capture_on_commit_callbacks(execute=True):
            removed = api.delete(f"{GROUPS}{crew.pk}/members/{ann.pk}/")
        assert removed.status_code == 200
        assert [m["username"] for m in removed.json()["members"]] == ["bob"]
        assert not Assignment.objects.get(user=ann).is_open
        payloads = AuditEntry.objects.filter(action="fledge.account.scim_change").values_list(
            "payload", flat=True
        )
        assert sum('"group_update"' in payload for payload in payloads) == 2

    def test_unknown_member_is_400_and_superuser_member_is_404(self, api, admin, crew):
        response = api.post(f"{GROUPS}{crew.pk}/members/", {"user_id": 99999999}, format="json")
        assert response.status_code == 400
        assert "Unknown person" in response.json()["detail"]
        assert api.post(f"{GROUPS}{crew.pk}/members/", {}, format="json").status_code == 400
        assert api.delete(f"{GROUPS}{crew.pk}/members/{admin.pk}/").status_code == 404

    def test_a_page_of_people_costs_the_same_for_1_and_30(
        self, api, crew, django_assert_max_num_queries
    ):
        api.get(USERS)
        with django_assert_max_num_queries(5):
            assert len(api.get(USERS).json()["results"]) == 1
        for _ in range(29):
            crew.user_set.add(UserFactory())
        with django_assert_max_num_queries(5):
            assert len(api.get(USERS).json()["results"]) == 30
        with django_assert_max_num_queries(5):
            assert len(api.get(f"{GROUPS}{crew.pk}/").json()["members"]) == 30
