"""Helpers shared by the compliance admin views: who may see what, and formatting."""

from datetime import date

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.utils.formats import date_format

import django_filters

from .. import reports
from ..models import Assignment, TrainingRequirement
from ..scheduling import Status

STATUS_CHOICES = [(status.value, status.label) for status in Status]
MET = {Status.COMPLIANT.value, Status.EXEMPT.value}


# --- Who may see what ----------------------------------------------------------------


class ReportAccessMixin:
    """Refuse users who are neither compliance admins nor managers; the admin turns
    PermissionDenied into a redirect to its dashboard with a message."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not reports.can_view_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ExemptAccessMixin:
    """Only users who may change assignments (compliance admins) manage exemptions."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm(reports.EXEMPT_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def may_exempt(user) -> bool:
    return user.has_perm(reports.EXEMPT_PERMISSION)


# --- Shared bits ---------------------------------------------------------------------


def person_name(user) -> str:
    return user.get_full_name().strip() or user.get_username()


def day(value: date | None) -> str:
    return date_format(value, "j M Y") if value else ""


def status_label(row: Assignment) -> str:
    return Status(row.status).label


def search_people(queryset: QuerySet, query: str, prefix: str = "user__") -> QuerySet:
    """Rows whose person matches every word of ``query`` in their first or last name,
    email or username ("lena lind" finds Lena Lind)."""
    for word in query.split():
        queryset = queryset.filter(
            Q(**{f"{prefix}first_name__icontains": word})
            | Q(**{f"{prefix}last_name__icontains": word})
            | Q(**{f"{prefix}email__icontains": word})
            | Q(**{f"{prefix}username__icontains": word})
        )
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
