"""Shared by the Learners admin views: who may see them, names, scores and the course filter."""

from decimal import Decimal

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest

from wagtail.admin.filters import WagtailFilterSet

import django_filters

from base.admin_access import AccessRuleMixin
from base.people import person_name
from catalog.models import CoursePage
from catalog.selectors import editable_courses

from ..models import Enrollment

Status = Enrollment.Status


# --- Who may see what ----------------------------------------------------------------


def can_manage_learners(user) -> bool:
    """Whether ``user`` sees the Learners menu: a superuser, or an editor of a course.
    Cached on the user object for the request, as the menu asks on every admin page."""
    cached = getattr(user, "_fledge_can_manage_learners", None)
    if cached is None:
        cached = user.is_authenticated and (
            user.is_superuser or editable_courses(user=user).exists()
        )
        user._fledge_can_manage_learners = cached
    return cached


class LearnersAccessMixin(AccessRuleMixin):
    """Only superusers and users who may edit a course (its learners)."""

    access_rule = staticmethod(can_manage_learners)


def learner_name(enrollment: Enrollment) -> str:
    """The enrolment's learner, named as everywhere (:func:`base.people.person_name`)."""
    return person_name(enrollment.user)


def score_text(value) -> str:
    """A quiz score without trailing zeros: 85.00 → "85", 66.50 → "66.5", None → ""
    (no attempt yet). Databases differ in what ``Max`` of a decimal returns."""
    if value is None:
        return ""
    return format(Decimal(str(value)).normalize(), "f")


# --- Filters -------------------------------------------------------------------------


def _editable_course_choices(request: HttpRequest) -> QuerySet[CoursePage]:
    if request is None:
        return CoursePage.objects.none()
    return editable_courses(user=request.user).order_by("title")


class CourseFilterSet(WagtailFilterSet):
    """Filter by one of the courses the user may edit; other ids are invalid."""

    course = django_filters.ModelChoiceFilter(
        label="Course",
        queryset=_editable_course_choices,
        empty_label="All courses",
        to_field_name="id",  # range-checked, unlike the page_ptr link: huge ids are invalid
    )

    class Meta:
        model = Enrollment
        fields = ["course"]


class RosterFilterSet(CourseFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label="Status", choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Enrollment
        fields = ["course", "status"]
