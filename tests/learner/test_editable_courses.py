"""Which courses a user may edit (``editable_courses``): what the instructors' admin
screens are limited to, and the same answer as Wagtail's page permissions."""

from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission

import pytest

from catalog.selectors import editable_courses
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import UserFactory, member_of

pytestmark = pytest.mark.django_db


class TestEditableCourses:
    def test_matches_wagtail_page_permissions(self, catalog, course_a, course_b, botanist):
        adder_group = Group.objects.create(name="Adders")
        GroupPagePermission.objects.create(
            group=adder_group,
            page=catalog,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename="add_page"
            ),
        )
        adder = UserFactory(username="adam")
        adder.groups.add(adder_group)
        own = CoursePageFactory(title="Own course", owner=adder)
        users = [
            member_of("Instructors", "ines"),
            member_of("Reviewers", "rafa"),
            member_of("Compliance admins", "cora"),
            botanist,
            adder,
            UserFactory(username="plain"),
            UserFactory(username="root", is_superuser=True),
        ]
        courses = [course_a, course_b, own]
        for user in users:
            expected = {c.pk for c in courses if c.permissions_for_user(user).can_edit()}
            assert set(editable_courses(user=user).values_list("pk", flat=True)) == expected, user
        assert set(editable_courses(user=botanist)) == {course_b}
        # Adding courses to the catalog (the Instructors group's right) does not make
        # one an editor of a course, even one's own: its instructors are.
        assert set(editable_courses(user=adder)) == set()
        assert set(editable_courses(user=users[0])) == set()
        assert set(editable_courses(user=users[1])) == {course_a, course_b, own}
