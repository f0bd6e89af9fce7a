"""The people chooser: Wagtail's chooser modal over the active users, searched by name,
email, username or group, twenty a page, for those who may edit requirements or
managers only (the forms that use it: test_people_forms.py)."""

import json

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from accounts.models import Profile
from catalog.services import set_course_instructors
from tests.catalog.factories import CoursePageFactory
from tests.html import table_rows
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db

CHOOSE_URL = "/admin/compliance/people/"
RESULTS_URL = "/admin/compliance/people/results/"
MULTIPLE_URL = "/admin/compliance/people/chosen-multiple/"
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def chosen_url(user_id) -> str:
    return f"/admin/compliance/people/chosen/{user_id}/"


def member_of(group_name: str, username: str, **fields):
    user = UserFactory(username=username, **fields)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def names_listed(response) -> list[str]:
    """The Name column of the chooser's results, as shown."""
    return [cells[0] for _, cells in table_rows(html(response)) if cells]


def html(response) -> str:
    """The chooser's HTML, whether a results fragment or the modal's JSON step."""
    if response["Content-Type"].startswith("application/json"):
        return response.json()["html"]
    return response.content.decode()


def modal_step(response) -> dict:
    return json.loads(response.content)


@pytest.fixture
def admin_user(catalog):
    return member_of("Compliance admins", "cora", first_name="Cora", last_name="Admin")


@pytest.fixture
def lena():
    """Lena Lind in Sales; the one person the searches below are after."""
    user = UserFactory(
        username="llind", first_name="Lena", last_name="Lind", email="lena.lind@example.com"
    )
    user.groups.add(Group.objects.create(name="Sales"))
    return user


@pytest.fixture
def bob():
    return UserFactory(
        username="bbaker", first_name="Bob", last_name="Baker", email="bob@example.com"
    )


class TestSearch:
    @pytest.mark.parametrize(
        "query", ["Lena", "lind", "lena.lind@example", "llind", "sales", "lena sales"]
    )
    def test_finds_a_person_by_name_email_username_or_group(
        self, client, admin_user, lena, bob, query
    ):
        client.force_login(admin_user)
        response = client.get(RESULTS_URL, {"q": query})
        assert response.status_code == 200
        assert names_listed(response) == ["Lena Lind"]
        assert "There is 1 match" in html(response)

    def test_every_word_must_match(self, client, admin_user, lena, bob):
        client.force_login(admin_user)
        response = client.get(RESULTS_URL, {"q": "lena marketing"})
        assert names_listed(response) == []
        assert "Sorry, there are no matches" in html(response)

    def test_filters_by_group(self, client, admin_user, lena, bob):
        client.force_login(admin_user)
        sales = Group.objects.get(name="Sales")
        response = client.get(RESULTS_URL, {"group": sales.pk})
        assert names_listed(response) == ["Lena Lind"]

    def test_a_person_in_two_matching_groups_is_listed_once(self, client, admin_user, lena):
        lena.groups.add(Group.objects.create(name="Sales North"))
        client.force_login(admin_user)
        assert names_listed(client.get(RESULTS_URL, {"q": "sales"})) == ["Lena Lind"]

    def test_shows_name_email_username_and_groups(self, client, admin_user, lena):
        client.force_login(admin_user)
        rows = table_rows(html(client.get(RESULTS_URL, {"q": "lena"})))
        assert rows[-1][1] == ["Lena Lind", "lena.lind@example.com", "llind", "Sales"]

    def test_the_modal_has_a_search_box_and_a_group_filter(self, client, admin_user, lena):
        client.force_login(admin_user)
        response = client.get(CHOOSE_URL)
        assert response.status_code == 200
        assert modal_step(response)["step"] == "choose"
        modal = html(response)
        assert 'id="id_q"' in modal
        assert "Name, email, username or group" in modal
        assert 'name="group"' in modal and ">Sales</option>" in modal
        assert "Choose people" in modal

    def test_course_teams_are_not_group_filters(self, client, admin_user):
        course = CoursePageFactory()
        set_course_instructors(course=course, instructors=[UserFactory()])
        team = Group.objects.get(course_team__course=course)
        client.force_login(admin_user)
        modal = html(client.get(CHOOSE_URL))
        assert ">Instructors</option>" in modal
        assert f">{team.name}</option>" not in modal


class TestPaginationAndInactivePeople:
    def test_results_come_twenty_a_page(self, client, admin_user):
        for number in range(45):
            UserFactory(username=f"p{number:02}", first_name="Pat", last_name=f"P{number:02}")
        client.force_login(admin_user)
        first = client.get(RESULTS_URL, {"q": "pat"})
        assert len(names_listed(first)) == 20
        assert "Page 1 of 3" in html(first)
        last = client.get(RESULTS_URL, {"q": "pat", "p": 3})
        assert names_listed(last) == [f"Pat P{n}" for n in range(40, 45)]

    def test_an_unknown_page_is_404(self, client, admin_user, lena):
        client.force_login(admin_user)
        assert client.get(RESULTS_URL, {"p": 99}).status_code == 404

    def test_an_inactive_person_is_not_offered(self, client, admin_user, lena):
        lena.is_active = False
        lena.save()
        client.force_login(admin_user)
        assert names_listed(client.get(RESULTS_URL, {"q": "lena"})) == []
        assert "Lena Lind" not in html(client.get(CHOOSE_URL))
        assert client.get(chosen_url(lena.pk)).status_code == 404
        response = client.get(MULTIPLE_URL, {"id": [lena.pk]})
        assert modal_step(response)["result"] == []


class TestChoosing:
    def test_choosing_one_answers_the_person(self, client, admin_user, lena):
        client.force_login(admin_user)
        response = client.get(chosen_url(lena.pk))
        assert response.status_code == 200
        step = modal_step(response)
        assert step["step"] == "chosen"
        assert step["result"]["title"] == "Lena Lind (llind)"
        assert step["result"]["email"] == "lena.lind@example.com"

    def test_multiple_mode_ticks_people_and_confirms_them_together(
        self, client, admin_user, lena, bob
    ):
        client.force_login(admin_user)
        modal = html(client.get(CHOOSE_URL, {"multiple": 1}))
        assert f'value="{lena.pk}"' in modal and "data-multiple-choice-select" in modal
        assert "Confirm selection" in modal
        response = client.get(MULTIPLE_URL, {"id": [lena.pk, bob.pk, "abc", "9" * 30]})
        titles = sorted(person["title"] for person in modal_step(response)["result"])
        assert titles == ["Bob Baker (bbaker)", "Lena Lind (llind)"]

    @pytest.mark.parametrize("bad", ["abc", "9" * 30, "987654"])
    def test_an_id_that_is_nobody_is_404(self, client, admin_user, bad):
        client.force_login(admin_user)
        assert client.get(chosen_url(bad)).status_code == 404

    def test_there_is_no_create_tab(self, client, admin_user):
        client.force_login(admin_user)
        assert client.get(f"{CHOOSE_URL}create/").status_code == 404


class TestWhoMayOpenIt:
    @pytest.mark.parametrize("url", [CHOOSE_URL, RESULTS_URL, MULTIPLE_URL])
    def test_compliance_admins_and_superusers_may(self, client, admin_user, lena, url):
        for user in (admin_user, UserFactory(username="root", is_superuser=True)):
            client.force_login(user)
            assert client.get(url).status_code == 200

    def test_whoever_may_edit_managers_may(self, client, catalog, lena):
        hr = Group.objects.create(name="HR")
        hr.permissions.add(
            Permission.objects.get(codename="access_admin"),
            Permission.objects.get(codename="change_profile"),
        )
        client.force_login(member_of("HR", "hana"))
        assert client.get(RESULTS_URL).status_code == 200

    def test_a_learner_is_sent_to_the_admin_sign_in(self, client, lena):
        client.force_login(UserFactory(username="lea"))
        response = client.get(CHOOSE_URL)
        assert response.status_code == 302
        assert response["Location"].startswith(settings.WAGTAILADMIN_LOGIN_URL)

    @pytest.mark.parametrize("url", [CHOOSE_URL, RESULTS_URL, chosen_url("1"), MULTIPLE_URL])
    def test_an_instructor_is_turned_away(self, client, catalog, lena, url):
        client.force_login(member_of("Instructors", "ines"))
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
        assert client.get(url, **XHR).status_code == 403

    def test_a_manager_cannot_list_everyone(self, client, catalog, lena):
        manager = UserFactory(username="mona")
        manager.user_permissions.add(Permission.objects.get(codename="access_admin"))
        Profile.objects.create(user=lena, manager=manager)
        client.force_login(manager)
        response = client.get(RESULTS_URL, {"q": "lena"})
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")


class TestQueryBudget:
    def test_results_queries_do_not_grow_with_people(
        self, client, admin_user, django_assert_max_num_queries
    ):
        sales = Group.objects.create(name="Sales")
        for _ in range(3):
            UserFactory(first_name="Pat").groups.add(sales)
        client.force_login(admin_user)
        with CaptureQueriesContext(connection) as few:
            assert client.get(RESULTS_URL, {"q": "pat"}).status_code == 200
        for _ in range(60):
            UserFactory(first_name="Pat").groups.add(sales)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(RESULTS_URL, {"q": "pat"})
        assert len(names_listed(response)) == 20
        # Session, user, permissions, the group filter, a count, a page, its groups.
        assert len(few.captured_queries) <= 10
