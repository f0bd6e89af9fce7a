"""The account services provisioning calls: keyword-only, validated, announcing
deactivation and reactivation once each, and keeping the directory out of Fledge's
own groups."""

from django.contrib.auth.models import Group

import pytest

from accounts import services
from accounts.models import DirectoryAccount, Profile
from accounts.signals import user_deactivated, user_reactivated
from catalog.services import set_course_instructors
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced():
    heard: list[tuple[str, int]] = []

    def deactivated(sender, user, **kwargs):
        heard.append(("deactivated", user.pk))

    def reactivated(sender, user, **kwargs):
        heard.append(("reactivated", user.pk))

    user_deactivated.connect(deactivated, dispatch_uid="test-deactivated")
    user_reactivated.connect(reactivated, dispatch_uid="test-reactivated")
    yield heard
    user_deactivated.disconnect(dispatch_uid="test-deactivated")
    user_reactivated.disconnect(dispatch_uid="test-reactivated")


class TestPeople:
    def test_services_are_keyword_only(self):
        with pytest.raises(TypeError):
            services.user_provision("ada")  # type: ignore[misc]

    def test_deactivation_and_reactivation_are_announced_once(self, announced):
        lena = UserFactory()
        for _ in range(2):
            services.user_deactivate(user=lena)
        for _ in range(2):
            services.user_reactivate(user=lena)
        assert announced == [("deactivated", lena.pk), ("reactivated", lena.pk)]

    def test_update_changes_only_what_is_given(self):
        ada = services.user_provision(username="ada", email="ada@example.com", department="Ops")
        services.user_update(user=ada, last_name="King")
        ada.refresh_from_db()
        assert (ada.email, ada.last_name) == ("ada@example.com", "King")
        assert DirectoryAccount.objects.get(user=ada).department == "Ops"

    def test_a_person_cannot_manage_themselves(self):
        ada = services.user_provision(username="ada")
        with pytest.raises(services.AccountError, match="own manager"):
            services.user_update(user=ada, manager=ada)
        assert not Profile.objects.filter(user=ada).exists()

    @pytest.mark.parametrize("username", ["", "two words", "x" * 151, "semi;colon"])
    def test_user_names_follow_django_rules(self, username):
        with pytest.raises(services.AccountError) as refused:
            services.user_provision(username=username)
        assert (refused.value.status, refused.value.code) == (400, "invalid")

    def test_a_deprovisioned_person_comes_back_with_their_account(self, announced):
        ada = services.user_provision(username="ada")
        services.user_deprovision(user=ada)
        again = services.user_provision(username="ADA", first_name="Ada")
        assert again.pk == ada.pk
        again.refresh_from_db()
        assert again.is_active and again.username == "ADA"
        assert DirectoryAccount.objects.get(user=ada).deleted_at is None
        assert announced == [("deactivated", ada.pk), ("reactivated", ada.pk)]


class TestGroups:
    @pytest.mark.parametrize("name", ["Instructors", "Reviewers", "Compliance admins"])
    def test_role_groups_cannot_be_taken_over(self, catalog, name):
        with pytest.raises(services.AccountError) as refused:
            services.group_provision(name=name)
        assert (refused.value.status, refused.value.code) == (409, "mutability")

    def test_a_course_team_cannot_be_taken_over(self, catalog):
        course = CoursePageFactory()
        set_course_instructors(course=course, instructors=[UserFactory()])
        team = Group.objects.get(course_team__course=course)
        with pytest.raises(services.AccountError):
            services.group_provision(name=team.name)

    def test_members_set_adds_and_removes_in_one_call(self):
        ada, bob, cy = UserFactory(), UserFactory(), UserFactory()
        group = services.group_provision(name="Porters", members=[ada, bob])
        assert services.group_members_set(group=group, users=[bob, cy]) == (1, 1)
        assert set(group.user_set.all()) == {bob, cy}
