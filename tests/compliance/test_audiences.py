"""Required-training audiences are role and department groups, never a course's own
instructors' group (see catalog.services.set_course_instructors)."""

from django.contrib.auth.models import Group
from django.urls import reverse

import pytest

from catalog.services import set_course_instructors
from compliance.filters import PersonReportFilterSet
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_course_groups_are_neither_audiences_nor_report_filters(admin_client, catalog):
    course = CoursePageFactory()
    set_course_instructors(course=course, instructors=[UserFactory()])
    team = Group.objects.get(course_team__course=course)

    form = admin_client.get(reverse("compliance_requirements:add")).context["form"]
    audiences = form.fields["audience_groups"].queryset
    filters = PersonReportFilterSet().filters["group"].queryset
    for choices in (audiences, filters):
        assert team not in choices
        assert Group.objects.get(name="Instructors") in choices
