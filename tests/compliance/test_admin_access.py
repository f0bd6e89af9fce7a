"""Who may manage required training: the Compliance admins group's permissions, the
compliance menu, and who is turned away from its screens."""

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest

from tests.compliance.screens import ASSIGNMENTS_URL, MANAGERS_URL, REQUIREMENTS_URL
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db


class TestRoles:
    def test_the_migration_gives_compliance_admins_their_permissions(self, catalog):
        group = Group.objects.get(name="Compliance admins")
        codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
        assert codenames == {
            ("wagtailadmin", "access_admin"),
            ("compliance", "add_trainingrequirement"),
            ("compliance", "change_trainingrequirement"),
            ("compliance", "delete_trainingrequirement"),
            ("compliance", "view_trainingrequirement"),
            ("compliance", "change_assignment"),
            ("compliance", "view_assignment"),
            ("accounts", "add_profile"),
            ("accounts", "change_profile"),
            ("accounts", "view_profile"),
            ("records", "download_evidence"),
        }

    def test_compliance_admin_sees_the_whole_menu(self, client, compliance_admin):
        client.force_login(compliance_admin)
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        for url in (
            REQUIREMENTS_URL,
            ASSIGNMENTS_URL,
            MANAGERS_URL,
            "/admin/compliance/summary/",
            "/admin/compliance/report/",
        ):
            assert url in home
        assert "Compliance" in home

    @pytest.mark.parametrize(
        "url", [REQUIREMENTS_URL, f"{REQUIREMENTS_URL}new/", ASSIGNMENTS_URL, MANAGERS_URL]
    )
    def test_compliance_admin_and_superuser_may_open(self, client, compliance_admin, url):
        for user in (compliance_admin, UserFactory(username="root", is_superuser=True)):
            client.force_login(user)
            assert client.get(url).status_code == 200

    @pytest.mark.parametrize(
        "url", [REQUIREMENTS_URL, f"{REQUIREMENTS_URL}new/", ASSIGNMENTS_URL, MANAGERS_URL]
    )
    def test_an_instructor_is_turned_away(self, client, instructor, url):
        client.force_login(instructor)
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "/admin/compliance/" not in home

    @pytest.mark.parametrize("url", [REQUIREMENTS_URL, ASSIGNMENTS_URL, MANAGERS_URL])
    def test_a_learner_is_sent_to_the_login(self, client, learner, url):
        client.force_login(learner)
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")  # the site's sign-in
