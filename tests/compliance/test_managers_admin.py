"""The managers screen: naming each person's manager (on their profile), and who may
change or delete profiles."""

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

import pytest

from accounts.models import Profile
from tests.compliance.screens import ASSIGNMENTS_URL, MANAGERS_URL, REQUIREMENTS_URL
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db


class TestManagers:
    def test_name_a_persons_manager(self, client, compliance_admin):
        person = UserFactory(username="pat", first_name="Pat", last_name="Person")
        boss = UserFactory(username="max", first_name="Max", last_name="Boss")
        client.force_login(compliance_admin)
        response = client.post(f"{MANAGERS_URL}new/", {"user": person.pk, "manager": boss.pk})
        assert response.status_code == 302
        assert Profile.objects.get(user=person).manager == boss
        listing = client.get(MANAGERS_URL, {"q": "boss"}).content.decode()
        assert "Max Boss (max)" in listing
        assert "pat" in listing

    def test_a_person_cannot_be_their_own_manager(self, client, compliance_admin):
        person = UserFactory(username="pat")
        client.force_login(compliance_admin)
        response = client.post(f"{MANAGERS_URL}new/", {"user": person.pk, "manager": person.pk})
        assert response.status_code == 200
        assert "A person cannot be their own manager." in response.content.decode()
        assert not Profile.objects.exists()

    def test_editing_changes_the_manager_not_the_person(self, client, compliance_admin):
        person, other = UserFactory(username="pat"), UserFactory(username="oli")
        boss = UserFactory(username="max")
        profile = Profile.objects.create(user=person)
        client.force_login(compliance_admin)
        response = client.post(
            f"{MANAGERS_URL}edit/{profile.pk}/", {"user": other.pk, "manager": boss.pk}
        )
        assert response.status_code == 302
        profile.refresh_from_db()
        assert (profile.user, profile.manager) == (person, boss)
        response = client.post(
            f"{MANAGERS_URL}edit/{profile.pk}/", {"user": person.pk, "manager": person.pk}
        )
        assert "A person cannot be their own manager." in response.content.decode()

    def test_compliance_admins_may_not_delete_profiles(self, client, compliance_admin):
        profile = Profile.objects.create(user=UserFactory(username="pat"))
        client.force_login(compliance_admin)
        response = client.post(f"{MANAGERS_URL}delete/{profile.pk}/")
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
        assert Profile.objects.filter(pk=profile.pk).exists()

    def test_a_group_with_profile_permission_only_sees_managers(self, client, catalog):
        group = Group.objects.create(name="HR")
        group.permissions.add(
            Permission.objects.get(codename="access_admin"),
            Permission.objects.get(codename="view_profile"),
        )
        user = UserFactory(username="hana")
        user.groups.add(group)
        client.force_login(user)
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert MANAGERS_URL in home
        assert REQUIREMENTS_URL not in home
        assert client.get(ASSIGNMENTS_URL).status_code == 302
