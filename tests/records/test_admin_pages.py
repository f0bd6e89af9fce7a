"""The admin's *Personal records*: finding a person, their page, and erasure confirmed
by typing the username, for the groups the product ships."""

from html import unescape

from django.contrib.auth import get_user_model
from django.urls import reverse

import pytest

from audit.models import AuditEntry
from tests.learner.factories import UserFactory, member_of

pytestmark = pytest.mark.django_db

PEOPLE = "/admin/records/"


@pytest.fixture
def officer(catalog, client):
    user = member_of("Data protection officers", "dora")
    client.force_login(user)
    return user


@pytest.fixture
def ada(catalog):
    return UserFactory(
        username="ada", first_name="Ada", last_name="Lovelace", email="ada@example.org"
    )


class TestFinding:
    def test_search_by_name_email_or_username(self, client, officer, ada):
        UserFactory(username="bob", first_name="Bob", last_name="Other")
        for query in ("lovelace", "ada@example", "Ada Love"):
            page = client.get(PEOPLE, {"q": query}).content.decode()
            assert reverse("records:person", args=[ada.pk]) in page, query
            assert "Bob" not in page

    def test_an_empty_search_is_400_with_a_message(self, client, officer):
        response = client.get(PEOPLE, {"q": "   "})
        assert response.status_code == 400
        assert "Type part of a name" in response.content.decode()

    def test_the_menu_and_the_user_listing_lead_here(self, client, officer, ada):
        assert PEOPLE in client.get("/admin/").content.decode()
        admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
        client.force_login(admin)
        listing = client.get("/admin/users/").content.decode()
        assert reverse("records:person", args=[ada.pk]) in listing

    def test_the_person_page_offers_what_the_role_may_do(self, client, officer, ada):
        page = client.get(reverse("records:person", args=[ada.pk])).content.decode()
        for name in ("evidence_pdf", "evidence_json", "data", "erase"):
            assert reverse(f"records:{name}", args=[ada.pk]) in page
        client.force_login(member_of("Compliance admins", "cora"))
        page = client.get(reverse("records:person", args=[ada.pk])).content.decode()
        assert reverse("records:evidence_pdf", args=[ada.pk]) in page
        assert reverse("records:data", args=[ada.pk]) not in page
        assert reverse("records:erase", args=[ada.pk]) not in page


class TestErasure:
    def url(self, person) -> str:
        return reverse("records:erase", args=[person.pk])

    def test_the_wrong_username_erases_nothing(self, client, officer, ada):
        response = client.post(self.url(ada), {"username": "ad"})
        assert response.status_code == 400
        assert "not this person's username: nothing was erased" in unescape(
            response.content.decode()
        )
        ada.refresh_from_db()
        assert ada.email == "ada@example.org" and ada.is_active
        assert not AuditEntry.objects.filter(action="fledge.records.erase").exists()

    def test_confirmed_erasure_then_the_page_says_so(self, client, officer, ada):
        response = client.post(self.url(ada), {"username": "ada"}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("records:person", args=[ada.pk])
        page = response.content.decode()
        assert "personal data was erased" in page and "personal data erased on" in page
        ada.refresh_from_db()
        assert not ada.is_active and not ada.has_usable_password()
        entry = AuditEntry.objects.get(action="fledge.records.erase")
        assert entry.actor_id == officer.pk
        # Once erased, no second erasure is offered, and a replayed POST changes nothing.
        assert self.url(ada) not in page
        again = client.post(self.url(ada), {"username": ada.get_username()}, follow=True)
        assert "already been erased" in unescape(again.content.decode())
        assert AuditEntry.objects.filter(action="fledge.records.erase").count() == 1

    def test_nobody_erases_themselves(self, client, officer):
        response = client.post(self.url(officer), {"username": "dora"})
        assert response.status_code == 302 and response["Location"] == "/admin/"
        officer.refresh_from_db()
        assert officer.is_active

    def test_a_superuser_only_by_a_superuser(self, client, officer, catalog):
        root = get_user_model().objects.create_superuser("root", "root@example.org", "x")
        response = client.post(self.url(root), {"username": "root"})
        assert response.status_code == 302 and response["Location"] == "/admin/"
        root.refresh_from_db()
        assert root.is_active

    @pytest.mark.parametrize("group", ["Compliance admins", "Instructors"])
    def test_other_roles_may_not(self, client, ada, group):
        client.force_login(member_of(group, "eve"))
        response = client.post(self.url(ada), {"username": "ada"})
        assert response.status_code == 302 and response["Location"] == "/admin/"
        ada.refresh_from_db()
        assert ada.is_active

    def test_an_unknown_person_is_404(self, client, officer):
        assert client.post(reverse("records:erase", args=[987654])).status_code == 404
