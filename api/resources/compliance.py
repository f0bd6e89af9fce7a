"""Compliance resources: requirements, assignments (cycles), everyone's status as of a
date, and exemptions.

A token acts as its user, so the compliance app's own rules decide what it sees
(:mod:`compliance.permissions`): a compliance admin sees everyone, a manager their own
people, anyone else is refused (403), exactly as the reports. Rows come from the
report's selectors (:func:`compliance.selectors.statuses`) and are filtered by the
"By person" report's own filter set (``PersonReportFilterSet``: requirement, group,
status, due range, as of) and search (``search_people``), so the API and the page
cannot disagree about who is overdue. Lists are cursor-paginated on the primary key:
every page costs the same, however far into 200,000 rows it is.
"""

from datetime import date

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from compliance import permissions, selectors, services
from compliance.filters import PersonReportFilterSet
from compliance.forms import AsOfForm
from compliance.models import Assignment, TrainingRequirement
from compliance.permissions import may_exempt
from compliance.selectors import search_people

from ..models import Scope
from ..pagination import IdCursorPagination
from ..permissions import HasScope
from ..views import AUTH_ERRORS, problem
from .compliance_serializers import (
    ROW_VALUES,
    STATUS_VALUES,
    AssignmentSerializer,
    ExemptionSerializer,
    RequirementSerializer,
    assignment_row,
    figures_body,
)

# --- Shared by the resources ---------------------------------------------------------


class CanViewReports(BasePermission):
    """Compliance admins and managers (:func:`compliance.permissions.can_view_reports`)."""

    message = "Only compliance admins and managers may read compliance reports."

    def has_permission(self, request, view) -> bool:
        return permissions.can_view_reports(request.user)


class MayExempt(BasePermission):
    """Those who may exempt on the Assignments page (compliance admins)."""

    message = "Only compliance admins may exempt people or lift exemptions."

    def has_permission(self, request, view) -> bool:
        return may_exempt(request.user)


def as_of_param(request) -> date:
    """The ``as_of`` query parameter as the reports read it (blank: today in the
    site's time zone); 400 with the report's message otherwise."""
    form = AsOfForm(request.query_params)
    if not form.is_valid():
        raise exceptions.ValidationError(form.errors)
    return form.cleaned_data["as_of"] or selectors.local_today()


def _user_id(request) -> int | None:
    value = request.query_params.get("user_id", "").strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 18:
        raise exceptions.ValidationError({"user_id": ["Give a person's id, a whole number."]})
    return int(value)


def _with_status(rows: QuerySet[Assignment], *, as_of: date) -> QuerySet[Assignment]:
    """Cycles of active requirements annotated with ``status`` and
    ``certification_expires_on`` on ``as_of``, by the report's expressions."""
    requirements = list(TrainingRequirement.objects.filter(active=True))
    return (
        rows.filter(requirement__in=requirements)
        .annotate(
            status=selectors.status_expression(as_of=as_of, requirements=requirements),
            certification_expires_on=selectors.certification_expiry_expression(as_of=as_of),
        )
        .select_related("user", "requirement")
        .annotate(course_title=F("requirement__course__title"))
    )


def report_rows(request, *, current_only: bool) -> tuple[QuerySet[Assignment], date]:
    """The caller's people's rows filtered as the "By person" report filters them
    (``as_of``, ``requirement``, ``group``, ``status``, ``due_from``/``due_to``, ``q``)
    and by ``user_id``: with ``current_only``, each person's current cycle per
    requirement (the report's rows); otherwise every cycle assigned by ``as_of``.
    Invalid filters answer 400 with the report's messages."""
    filters = PersonReportFilterSet(
        request.query_params, queryset=Assignment.objects.none(), request=request
    )
    if not filters.is_valid():
        raise exceptions.ValidationError(filters.errors)
    as_of = filters.form.cleaned_data.get("as_of") or selectors.local_today()
    people = permissions.reportable_assignments(request.user)
    if current_only:
        rows = (
            selectors.statuses(as_of=as_of, queryset=people)
            .select_related("user", "requirement")
            .annotate(course_title=F("requirement__course__title"))
        )
    else:
        rows = _with_status(people.filter(assigned_on__lte=as_of), as_of=as_of)
    rows = filters.filter_queryset(rows)
    if query := request.query_params.get("q", "").strip():
        rows = search_people(rows, query)
    if (user_id := _user_id(request)) is not None:
        rows = rows.filter(user_id=user_id)
    return rows, as_of


def _serializer_context(request) -> dict:
    return {"request": request, "may_exempt": may_exempt(request.user)}


AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description="The date to describe, YYYY-MM-DD (default: today in the site's time "
    "zone). Statuses are worked out from the stored history, as the reports do.",
)
REPORT_FILTERS = [
    AS_OF,
    OpenApiParameter("requirement", int, description="An active requirement's id."),
    OpenApiParameter("group", int, description="Only members of this group (by id)."),
    OpenApiParameter(
        "status",
        str,
        many=True,
        enum=STATUS_VALUES,
        explode=True,
        description="Only these statuses on as_of (repeat for several).",
    ),
    OpenApiParameter("due_from", OpenApiTypes.DATE, description="Due on or after this date."),
    OpenApiParameter("due_to", OpenApiTypes.DATE, description="Due on or before this date."),
    OpenApiParameter("q", str, description="Every word must match a name, email or username."),
    OpenApiParameter("user_id", int, description="Only this person."),
]
BAD_FILTER = problem(
    "A filter is invalid (a malformed or out-of-range date, an unknown "
    "status, requirement or group); the detail says which."
)
READ_ERRORS = {
    **AUTH_ERRORS,
    403: problem(
        "The token lacks `compliance:read`, or its user is neither a compliance "
        "admin nor a manager."
    ),
}


# --- Requirements --------------------------------------------------------------------


class RequirementListView(GenericAPIView):
    """Every requirement, with its figures for the caller's people on ``as_of``."""

    required_scope = Scope.COMPLIANCE_READ
    permission_classes = [HasScope, CanViewReports]
    serializer_class = RequirementSerializer
    pagination_class = IdCursorPagination

    def get_queryset(self):
        return TrainingRequirement.objects.select_related("course")

    @extend_schema(
        operation_id="requirements_list",
        description="Required training (active and inactive), by id, each with how many "
        "of the caller's people are compliant, due soon, overdue… on `as_of` (the "
        "summary report: a compliance admin counts everyone, a manager their people). "
        "Scope: `compliance:read`.",
        parameters=[AS_OF],
        responses={200: RequirementSerializer(many=True), 400: BAD_FILTER, **READ_ERRORS},
    )
    def get(self, request):
        as_of = as_of_param(request)
        page = self.paginate_queryset(self.get_queryset())
        _attach_figures(request, page, as_of=as_of)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class RequirementDetailView(GenericAPIView):
    required_scope = Scope.COMPLIANCE_READ
    permission_classes = [HasScope, CanViewReports]
    serializer_class = RequirementSerializer

    @extend_schema(
        operation_id="requirements_retrieve",
        description="One requirement with its figures for the caller's people on `as_of`. "
        "Scope: `compliance:read`.",
        parameters=[AS_OF],
        responses={
            200: RequirementSerializer,
            400: BAD_FILTER,
            404: problem("No requirement has this id."),
            **READ_ERRORS,
        },
    )
    def get(self, request, requirement_id: int):
        as_of = as_of_param(request)
        requirement = get_object_or_404(
            TrainingRequirement.objects.select_related("course"), pk=requirement_id
        )
        _attach_figures(request, [requirement], as_of=as_of)
        return Response(self.get_serializer(requirement).data)


def _attach_figures(request, requirements: list, *, as_of: date) -> None:
    """Each requirement's figures for the caller's people, in one grouped count."""
    ids = [requirement.pk for requirement in requirements]
    people = permissions.reportable_assignments(request.user).filter(requirement_id__in=ids)
    counts = selectors.status_counts(as_of=as_of, queryset=people)
    for requirement in requirements:
        figures = selectors.StatusCounts.from_row(counts.get(requirement.pk))
        requirement.api_figures = figures_body(figures)


# --- Assignments and statuses --------------------------------------------------------


class AssignmentListView(GenericAPIView):
    """Every cycle of the caller's people assigned by ``as_of``, with its status then."""

    required_scope = Scope.COMPLIANCE_READ
    permission_classes = [HasScope, CanViewReports]
    serializer_class = AssignmentSerializer
    pagination_class = IdCursorPagination
    #: Each person's current cycle per requirement only (the report's rows).
    current_only = False

    def get_serializer_context(self):
        return _serializer_context(self.request)

    @extend_schema(
        operation_id="assignments_list",
        description="Every cycle (first assignments and renewals) of active requirements "
        "assigned to the caller's people by `as_of`, each with its own status on that "
        "date, by id. A compliance admin sees everyone, a manager their people. Filters "
        "as the By person report. Scope: `compliance:read`.",
        parameters=REPORT_FILTERS,
        responses={200: AssignmentSerializer(many=True), 400: BAD_FILTER, **READ_ERRORS},
    )
    def get(self, request):
        rows, _ = report_rows(request, current_only=self.current_only)
        page = self.paginate_queryset(rows.values(*ROW_VALUES))
        may = may_exempt(request.user)
        return self.get_paginated_response([assignment_row(v, may_exempt=may) for v in page])


class StatusListView(AssignmentListView):
    """The By person report: each person's current cycle per requirement on ``as_of``."""

    current_only = True

    @extend_schema(
        operation_id="compliance_status_list",
        description="One row per person and active requirement: their current cycle and "
        "status on `as_of`, with due, completed and expiry dates — what the By person "
        "report shows, with its filters. `?status=overdue` answers who is overdue. A "
        "compliance admin sees everyone, a manager their people. Scope: `compliance:read`.",
        parameters=REPORT_FILTERS,
        responses={200: AssignmentSerializer(many=True), 400: BAD_FILTER, **READ_ERRORS},
    )
    def get(self, request):
        return super().get(request)


def _assignment(request, pk: int, *, as_of: date) -> Assignment:
    """One of the caller's people's cycles with its status on ``as_of``; 404 for
    anyone else's (or an unknown id)."""
    rows = _with_status(permissions.reportable_assignments(request.user), as_of=as_of)
    return get_object_or_404(rows, pk=pk)


NOT_YOURS = problem("No assignment with this id among the caller's people.")


class AssignmentDetailView(GenericAPIView):
    required_scope = Scope.COMPLIANCE_READ
    permission_classes = [HasScope, CanViewReports]
    serializer_class = AssignmentSerializer

    def get_serializer_context(self):
        return _serializer_context(self.request)

    @extend_schema(
        operation_id="assignments_retrieve",
        description="One cycle of one of the caller's people, with its status on `as_of`. "
        "Scope: `compliance:read`.",
        parameters=[AS_OF],
        responses={200: AssignmentSerializer, 400: BAD_FILTER, 404: NOT_YOURS, **READ_ERRORS},
    )
    def get(self, request, assignment_id: int):
        assignment = _assignment(request, assignment_id, as_of=as_of_param(request))
        return Response(self.get_serializer(assignment).data)


class ExemptionView(GenericAPIView):
    """Exempt a person from a cycle (and, through the sync, its renewals), or lift it,
    through :func:`compliance.services.assignment_exempt` (audited there)."""

    required_scope = Scope.COMPLIANCE_WRITE
    permission_classes = [HasScope, MayExempt]
    serializer_class = AssignmentSerializer

    def get_serializer_context(self):
        return _serializer_context(self.request)

    @extend_schema(
        operation_id="assignments_exemption_create",
        description="Exempt the person from this cycle, from today, with a reason (kept "
        "with the assignment; the decision is in the audit trail). Exempting again "
        "replaces the reason. Scope: `compliance:write`; only compliance admins.",
        request=ExemptionSerializer,
        responses={
            200: AssignmentSerializer,
            400: problem("No reason, or one over 2,000 characters."),
            404: NOT_YOURS,
            **AUTH_ERRORS,
            403: problem("The token lacks `compliance:write`, or its user may not exempt."),
        },
    )
    def post(self, request, assignment_id: int):
        assignment = _assignment(request, assignment_id, as_of=selectors.local_today())
        body = ExemptionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.assignment_exempt(
            assignment=assignment, by=request.user, reason=body.validated_data["reason"]
        )
        fresh = _assignment(request, assignment_id, as_of=selectors.local_today())
        return Response(self.get_serializer(fresh).data)

    @extend_schema(
        operation_id="assignments_exemption_destroy",
        description="Lift the exemption: the cycle is due again on its due date (audited). "
        "Lifting none is harmless. Scope: `compliance:write`; only compliance admins.",
        responses={
            200: AssignmentSerializer,
            404: NOT_YOURS,
            **AUTH_ERRORS,
            403: problem("The token lacks `compliance:write`, or its user may not exempt."),
        },
    )
    def delete(self, request, assignment_id: int):
        assignment = _assignment(request, assignment_id, as_of=selectors.local_today())
        services.assignment_unexempt(assignment=assignment, by=request.user)
        fresh = _assignment(request, assignment_id, as_of=selectors.local_today())
        return Response(self.get_serializer(fresh).data)
