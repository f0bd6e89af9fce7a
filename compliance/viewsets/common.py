"""Helpers shared by the compliance admin views: who may see what, and formatting."""

from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import (
    HttpRequest,
)
from django.utils.formats import date_format

from wagtail.admin.ui.tables import Column
from wagtail.permissions import policy_registry

import django_filters

from accounts.models import Profile
from base.admin_access import AccessRuleMixin

from .. import exports, permissions
from ..models import Assignment, TrainingRequirement
from ..scheduling import Status

STATUS_CHOICES = [(status.value, status.label) for status in Status]


# --- Who may see what ----------------------------------------------------------------


class ReportAccessMixin(AccessRuleMixin):
    """Only compliance admins and managers (who see their own people)."""

    access_rule = staticmethod(permissions.can_view_reports)


def may_exempt(user) -> bool:
    """Whether ``user`` may change assignments (compliance admins): exemptions."""
    return user.has_perm(permissions.EXEMPT_PERMISSION)


class ExemptAccessMixin(AccessRuleMixin):
    """Only users who may change assignments (compliance admins) manage exemptions."""

    access_rule = staticmethod(may_exempt)


def may_choose_people(user) -> bool:
    """Whether ``user`` may open the people chooser: whoever may add or change
    requirements or who manages whom (compliance admins, superusers), by the same
    permission policies that guard those forms. The chooser lists everyone's name and
    email, so a manager (who sees only their people) or an instructor may not."""
    return any(
        policy_registry.get_by_type(model).user_has_any_permission(user, ["add", "change"])
        for model in (TrainingRequirement, Profile)
    )


class PeopleChooserAccessMixin(AccessRuleMixin):
    """The people chooser, only for those :func:`may_choose_people` allows."""

    access_rule = staticmethod(may_choose_people)


# --- Shared bits ---------------------------------------------------------------------


def day(value: date | None) -> str:
    return date_format(value, "j M Y") if value else ""


def status_label(row: Assignment) -> str:
    return Status(row.status).label


class StatusBadgeColumn(Column):
    """A compliance status as a badge of its own colour with its text (the styles are
    ``static/css/admin-badges.css``), then the state of the person's request to join
    the course, when the rows are annotated with it
    (:func:`compliance.exports.with_join_request`)."""

    cell_template_name = "compliance/admin/status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["badge"] = instance.status
        context["note"] = exports.join_request_label(
            instance.status, getattr(instance, "join_request", None)
        )
        return context


class ActiveBadgeColumn(Column):
    """A yes/no flag as a badge with its word, "Active" or "Inactive" (not an icon whose
    only text is "True")."""

    cell_template_name = "compliance/admin/active_cell.html"


def search_people(
    queryset: QuerySet, query: str, prefix: str = "user__", *, groups: bool = False
) -> QuerySet:
    """Rows whose person matches every word of ``query`` in their first or last name,
    email or username ("lena lind" finds Lena Lind) and, with ``groups``, in the name
    of a group they belong to ("lena sales"). A group word is matched through a
    subquery, so a person in several matching groups is still one row."""
    memberships = get_user_model().groups.through.objects
    for word in query.split():
        match = (
            Q(**{f"{prefix}first_name__icontains": word})
            | Q(**{f"{prefix}last_name__icontains": word})
            | Q(**{f"{prefix}email__icontains": word})
            | Q(**{f"{prefix}username__icontains": word})
        )
        if groups:
            members = memberships.filter(group__name__icontains=word).values("user_id")
            match |= Q(**{f"{prefix}pk__in": members})
        queryset = queryset.filter(match)
    return queryset


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


def list_url(url: str, request: HttpRequest) -> str:
    """``url`` with the request's listing parameters (not the fragment/export ones)."""
    params = request.GET.copy()
    for key in ("_w_filter_fragment", "export"):
        params.pop(key, None)
    query = params.urlencode()
    return url + (f"?{query}" if query else "")
