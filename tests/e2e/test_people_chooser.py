"""A compliance admin adds a person to a requirement's audience through the people
chooser: "Add people" opens the modal, a search finds her, ticking and "Confirm
selection" lists her on the form, the preview warns that the course is too small for
the audience, and saving assigns her."""

import re

from django.contrib.auth.models import Group

from playwright.sync_api import expect

from compliance.models import TrainingRequirement
from tests.catalog.factories import CoursePageFactory, site_catalog
from tests.compliance.factories import TrainingRequirementFactory
from tests.e2e.helpers import make_user, sign_in_to_admin


class TestPeopleChooser:
    def test_search_pick_preview_and_save(self, new_page, django_user_model):
        make_user(django_user_model, username="cora", group="Compliance admins", password="pw-1")
        lena = django_user_model.objects.create_user(
            username="llind", first_name="Lena", last_name="Lind", email="lena@example.com"
        )
        lena.groups.add(Group.objects.create(name="Sales"))
        bob = django_user_model.objects.create_user(
            username="bbaker", first_name="Bob", last_name="Baker"
        )
        course = CoursePageFactory(parent=site_catalog(), title="Fire safety", capacity=1)
        requirement = TrainingRequirementFactory(
            name="Fire safety", course=course, audience_users=[bob]
        )

        page = new_page()
        sign_in_to_admin(page, username="cora", password="pw-1")
        page.goto(f"/admin/compliance/requirements/edit/{requirement.pk}/")
        people = page.locator("[data-people-chooser]")
        expect(people).to_contain_text("Bob Baker (bbaker)")
        expect(people).to_contain_text("1 person chosen.")

        people.get_by_role("button", name="Add people").click()
        modal = page.locator(".modal-dialog")
        expect(modal.get_by_role("heading", name="Choose people")).to_be_visible()
        modal.get_by_placeholder("Name, email, username or group").fill("lind sales")
        expect(modal.get_by_text("There is 1 match")).to_be_visible()
        modal.get_by_role("checkbox").check()
        modal.get_by_role("button", name="Confirm selection").click()
        expect(modal).to_have_count(0)
        expect(people).to_contain_text("Lena Lind (llind)")
        expect(people).to_contain_text("2 people chosen.")

        page.get_by_role("button", name="Preview", exact=True).click()
        result = page.locator("#requirement-preview-result")
        expect(result).to_contain_text("2 people assigned")
        expect(result).to_contain_text(
            "room for 1 active learners at once, fewer than the 2 people this rule assigns"
        )
        expect(result).to_contain_text("Renewals count from the completion date")
        expect(result.get_by_role("listitem")).to_have_count(3)  # early, on time, late

        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_text(re.compile("Fire safety.*updated"))).to_be_visible()
        saved = TrainingRequirement.objects.get(pk=requirement.pk)
        assert set(saved.audience_users.values_list("username", flat=True)) == {
            "bbaker",
            "llind",
        }
