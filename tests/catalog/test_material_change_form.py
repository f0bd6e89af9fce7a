"""The course edit form's material change box: published with its note, announced once,
and unticked for the next version; a ticked box needs a note."""

from django.test import Client
from django.urls import reverse

import pytest

from catalog.models import CoursePage
from catalog.signals import course_materially_changed
from tests.catalog.admin_forms import course_form, edit_page
from tests.catalog.factories import CoursePageFactory
from tests.lessons.factories import give_a_lesson

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced():
    received = []

    def receiver(sender, course, revision, note, **kwargs):
        received.append((course.pk, revision.pk, note))

    course_materially_changed.connect(receiver)
    yield received
    course_materially_changed.disconnect(receiver)


@pytest.fixture
def course(catalog):
    course = CoursePageFactory(title="Ready")
    give_a_lesson(course)
    return course


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def box(client: Client, course) -> tuple[bool, str]:
    """The material change box and note as the edit form shows them."""
    form = client.get(reverse("wagtailadmin_pages:edit", args=(course.pk,))).context["form"]
    return bool(form["material_change"].value()), form["change_note"].value()


class TestMaterialChangeBox:
    def test_publishing_with_the_box_ticked_announces_the_change_once(
        self, course, reviewer, announced
    ):
        client = signed_in(reviewer)
        data = course_form("Ready", material_change="on", change_note="New section.")
        edit_page(client, course, data, "publish")
        course = CoursePage.objects.get(pk=course.pk)
        assert announced == [(course.pk, course.live_revision_id, "New section.")]
        assert course.live_revision.content["change_note"] == "New section."
        assert (course.material_change, course.change_note) == (False, "")
        assert box(client, course) == (False, "")

    def test_publishing_with_the_box_unticked_announces_nothing(self, course, reviewer, announced):
        edit_page(signed_in(reviewer), course, course_form("Ready"), "publish")
        assert CoursePage.objects.get(pk=course.pk).live_revision_id is not None
        assert announced == []

    def test_a_ticked_box_needs_a_note(self, course, reviewer, announced):
        response = edit_page(
            signed_in(reviewer), course, course_form("Ready", material_change="on"), "publish"
        )
        assert response.status_code == 200
        assert "Say what changed" in str(response.context["form"].errors["change_note"])
        assert announced == []

    def test_a_draft_keeps_the_box_as_saved(self, course, reviewer, announced):
        client = signed_in(reviewer)
        data = course_form("Ready", material_change="on", change_note="New section.")
        edit_page(client, course, data)
        assert box(client, course) == (True, "New section.")
        assert announced == []
