"""The forms that pick people in the people chooser: a requirement's individual
audience (several people, posted as a multi-select posts) and who manages whom (one
person and their manager)."""

import json

from django.contrib.auth.models import Group

import pytest

from accounts.models import Profile
from compliance.models import Assignment, TrainingRequirement
from tests.catalog.factories import CoursePageFactory
from tests.compliance.factories import TrainingRequirementFactory, requirement_form_data
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db

REQUIREMENTS_URL = "/admin/compliance/requirements/"
MANAGERS_URL = "/admin/compliance/managers/"
CHOOSE_URL = "/admin/compliance/people/"


def chosen_url(user_id) -> str:
    return f"{CHOOSE_URL}chosen/{user_id}/"


def chosen_id(client, user) -> str:
    """The id the chooser answers when ``user`` is picked (what the widget then posts)."""
    response = client.get(chosen_url(user.pk))
    assert response.status_code == 200
    return json.loads(response.content)["result"]["id"]


def member_of(group_name: str, username: str, **fields):
    user = UserFactory(username=username, **fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def admin_user(catalog):
    return member_of("Compliance admins", "cora", first_name="Cora", last_name="Admin")


@pytest.fixture
def lena():
    return UserFactory(username="llind", first_name="Lena", last_name="Lind")


@pytest.fixture
def bob():
    return UserFactory(username="bbaker", first_name="Bob", last_name="Baker")


class TestRequirementAudience:
    def test_the_form_lists_chosen_people_not_every_user(self, client, admin_user, lena, bob):
        requirement = TrainingRequirementFactory(audience_users=[lena])
        client.force_login(admin_user)
        page = client.get(f"{REQUIREMENTS_URL}edit/{requirement.pk}/").content.decode()
        assert f'data-people-chooser-url="{CHOOSE_URL}"' in page
        assert "Add people" in page
        assert f'<input type="hidden" name="audience_users" value="{lena.pk}">' in page
        assert "Lena Lind (llind)" in page
        assert "1 person chosen." in page
        assert "Bob Baker" not in page  # no option per user
        assert "js/people_chooser.js" in page

    def test_saving_people_chosen_in_the_widget_assigns_them(
        self, client, admin_user, lena, bob, django_capture_on_commit_callbacks
    ):
        course = CoursePageFactory(title="Fire safety")
        client.force_login(admin_user)
        data = requirement_form_data(
            name="Fire safety", course=str(course.pk), audience_users=[str(lena.pk), str(bob.pk)]
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"{REQUIREMENTS_URL}new/", data)
        assert response.status_code == 302
        requirement = TrainingRequirement.objects.get(name="Fire safety")
        assert set(requirement.audience_users.all()) == {lena, bob}
        assigned = Assignment.objects.filter(requirement=requirement)
        assert {row.user for row in assigned} == {lena, bob}

    def test_removing_a_person_in_the_widget_drops_them(self, client, admin_user, lena, bob):
        requirement = TrainingRequirementFactory(audience_users=[lena, bob])
        client.force_login(admin_user)
        data = requirement_form_data(requirement, audience_users=[str(bob.pk)])
        response = client.post(f"{REQUIREMENTS_URL}edit/{requirement.pk}/", data)
        assert response.status_code == 302
        assert list(requirement.audience_users.all()) == [bob]

    def test_a_tampered_id_is_a_message_and_the_choice_is_kept(self, client, admin_user, lena, bob):
        requirement = TrainingRequirementFactory()
        client.force_login(admin_user)
        data = requirement_form_data(requirement, audience_users=[str(lena.pk), "abc"])
        response = client.post(f"{REQUIREMENTS_URL}edit/{requirement.pk}/", data)
        assert response.status_code == 200
        page = response.content.decode()
        assert "“abc” is not a valid value." in page
        assert "Lena Lind (llind)" in page  # still listed, to save after fixing
        assert not requirement.audience_users.exists()


class TestProfileWithTheChooser:
    def test_the_form_uses_the_chooser_not_a_select_of_everyone(self, client, admin_user, lena):
        client.force_login(admin_user)
        page = client.get(f"{MANAGERS_URL}new/").content.decode()
        assert page.count(f'data-chooser-url="{CHOOSE_URL}"') == 2  # person and manager
        assert "Choose a person" in page
        assert "Lena Lind" not in page

    def test_a_profile_saved_with_people_from_the_chooser(self, client, admin_user, lena, bob):
        client.force_login(admin_user)
        data = {"user": chosen_id(client, lena), "manager": chosen_id(client, bob)}
        response = client.post(f"{MANAGERS_URL}new/", data)
        assert response.status_code == 302
        assert Profile.objects.get(user=lena).manager == bob
        edit = client.get(f"{MANAGERS_URL}edit/{Profile.objects.get(user=lena).pk}/")
        page = edit.content.decode()
        assert "Lena Lind (llind)" in page  # the person, as text
        assert "Bob Baker (bbaker)" in page  # the manager, in the chooser

    def test_an_inactive_manager_is_refused(self, client, admin_user, lena, bob):
        bob.is_active = False
        bob.save()
        client.force_login(admin_user)
        response = client.post(f"{MANAGERS_URL}new/", {"user": lena.pk, "manager": bob.pk})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
        assert not Profile.objects.exists()

    @pytest.mark.parametrize("bad", ["abc", "9" * 30])
    def test_a_tampered_id_is_a_message(self, client, admin_user, lena, bad):
        client.force_login(admin_user)
        response = client.post(f"{MANAGERS_URL}new/", {"user": lena.pk, "manager": bad})
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
