"""The requirement preview warns when the course seats fewer people at once than the
rule would assign (its capacity), with both numbers; and says nothing of it otherwise."""

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest

from tests.catalog.factories import CoursePageFactory
from tests.compliance.factories import requirement_form_data
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def compliance_admin(client, catalog):
    user = UserFactory(username="cora")
    user.groups.add(Group.objects.get(name="Compliance admins"))
    client.force_login(user)
    return client


@pytest.fixture
def staff():
    """Three active people in Staff, and one who left (inactive: not assigned)."""
    group = Group.objects.create(name="Staff")
    group.user_set.add(*(UserFactory() for _ in range(3)), UserFactory(is_active=False))
    return group


def preview(client, course, staff, **changes) -> dict:
    data = requirement_form_data(course=str(course.pk), audience_groups=[str(staff.pk)], **changes)
    response = client.post(reverse("compliance_requirements:preview"), data)
    assert response.status_code == 200
    return response.json()


class TestCapacityWarning:
    def test_a_course_smaller_than_the_audience_is_warned_about(self, compliance_admin, staff):
        course = CoursePageFactory(capacity=2, waitlist_enabled=True)
        body = preview(compliance_admin, course, staff)
        assert body["assigned"] == 3
        assert body["capacity"] == 2
        assert body["warning"] == (
            "The course has room for 2 active learners at once, fewer than the 3 people "
            "this rule assigns: the others would wait on its waitlist until seats free up."
        )

    def test_without_a_waitlist_the_warning_says_the_others_cannot_enrol(
        self, compliance_admin, staff
    ):
        course = CoursePageFactory(capacity=1, waitlist_enabled=False)
        body = preview(compliance_admin, course, staff)
        assert "room for 1 active learners at once, fewer than the 3 people" in body["warning"]
        assert "could not enrol until seats free up (its waitlist is off)" in body["warning"]

    def test_people_chosen_individually_count_too(self, compliance_admin, staff):
        course = CoursePageFactory(capacity=3)
        extra = UserFactory()
        body = preview(compliance_admin, course, staff, audience_users=[str(extra.pk)])
        assert body["assigned"] == 4
        assert "fewer than the 4 people" in body["warning"]

    @pytest.mark.parametrize("capacity", [None, 3, 50])
    def test_no_warning_when_everyone_fits(self, compliance_admin, staff, capacity):
        course = CoursePageFactory(capacity=capacity)
        body = preview(compliance_admin, course, staff)
        assert body["warning"] == ""
        assert "room for" not in body["message"]
