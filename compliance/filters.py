"""The filters of the compliance listings (the by-person report, the assignments), one
set shared by the admin's pages and the REST API, so both read the same query the same
way (``compliance.viewsets`` and ``api.resources.compliance``)."""

from django import forms
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef

from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.widgets import AdminDateInput

import django_filters

from .forms import AsOfForm, ReportDateRangeField, validate_report_date
from .models import Assignment, TrainingRequirement
from .scheduling import Status

STATUS_CHOICES = [(status.value, status.label) for status in Status]


def requirement_filter() -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        label="Requirement",
        queryset=TrainingRequirement.objects.filter(active=True).order_by("name"),
        empty_label="All requirements",
    )


def status_filter() -> django_filters.MultipleChoiceFilter:
    return django_filters.MultipleChoiceFilter(
        label="Status",
        choices=STATUS_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )


def _keep(queryset, name, value):
    return queryset


class ReportDateRangeFilter(django_filters.DateFromToRangeFilter):
    """A due-date range limited to :func:`compliance.forms.report_date_range`."""

    field_class = ReportDateRangeField


class PersonReportFilterSet(WagtailFilterSet):
    as_of = django_filters.DateFilter(
        label="As of",
        method=_keep,  # the view applies it to every status, not as a row filter
        widget=AdminDateInput,
        help_text=AsOfForm.base_fields["as_of"].help_text,
        validators=[validate_report_date],
        error_messages=AsOfForm.base_fields["as_of"].error_messages,
    )
    requirement = requirement_filter()
    group = django_filters.ModelChoiceFilter(
        label="Group",
        queryset=Group.objects.filter(course_team__isnull=True).order_by("name"),
        empty_label="All groups",
        method="filter_group",
    )
    status = status_filter()
    due = ReportDateRangeFilter(
        label="Due between", field_name="due_on", widget=DateRangePickerWidget
    )

    class Meta:
        model = Assignment
        fields = ["as_of", "requirement", "group", "status", "due"]

    def filter_group(self, queryset, name, value):
        memberships = Group.user_set.through.objects.filter(
            user_id=OuterRef("user_id"), group_id=value.pk
        )
        return queryset.filter(Exists(memberships))
