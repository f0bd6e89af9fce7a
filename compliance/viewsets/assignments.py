"""Admin listing of everyone's current cycle, with exemptions."""

from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views import View

from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.viewsets.base import ViewSet

from base.admin_access import menu_item_for
from base.admin_columns import ActionFormsColumn
from base.people import person_name

from .. import exports, selectors, services
from ..filters import requirement_filter, status_filter
from ..forms import ExemptionForm
from ..models import Assignment
from ..selectors import search_people
from .common import (
    ExemptAccessMixin,
    StatusBadgeColumn,
    day,
    list_url,
    status_label,
)

# --- Assignments and exemptions ------------------------------------------------------


class AssignmentFilterSet(WagtailFilterSet):
    requirement = requirement_filter()
    status = status_filter()

    class Meta:
        model = Assignment
        fields = ["requirement", "status"]


class ExemptionColumn(ActionFormsColumn):
    """The "Exempt…" (reason required) or "Lift exemption" action for one person's cycle."""

    cell_template_name = "compliance/admin/exemption_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["exempt_url"] = reverse("compliance_assignments:exempt", args=[instance.pk])
        context["unexempt_url"] = reverse("compliance_assignments:unexempt", args=[instance.pk])
        context["person"] = person_name(instance.user)
        return context


class AssignmentsView(ExemptAccessMixin, BaseListingView):
    """Everyone's current cycle today, with the exemption and its action."""

    page_title = "Assignments"
    header_icon = "tasks"
    index_url_name = "compliance_assignments:index"
    index_results_url_name = "compliance_assignments:index_results"
    filterset_class = AssignmentFilterSet
    is_searchable = True
    default_ordering = "requirement__name"
    paginate_by = 50
    verbose_name = "assignment"
    verbose_name_plural = "assignments"
    columns = [
        Column(
            "person",
            label="Person",
            accessor=lambda row: person_name(row.user),
            sort_key="user__last_name",
        ),
        Column("email", label="Email", accessor="user.email"),
        Column("requirement", label="Requirement", accessor="requirement.name"),
        Column("cycle", label="Cycle", accessor="cycle"),
        Column("due_on", label="Due", accessor=lambda row: day(row.due_on), sort_key="due_on"),
        StatusBadgeColumn("status", label="Status", accessor=status_label),
        ExemptionColumn("exemption", label="Exemption"),
    ]

    #: The exemption form to show again, as (assignment id, reason, error); set by the
    #: exempt view when the reason is missing.
    exempt_error: tuple[int, str, str] | None = None

    def get_base_queryset(self):
        rows = selectors.statuses(as_of=selectors.local_today()).select_related(
            "user", "requirement", "exempted_by"
        )
        return exports.with_join_request(rows)

    def order_queryset(self, queryset):
        # A unique tie-breaker keeps the pages in a stable order.
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "user__last_name", "pk")

    def search_queryset(self, queryset):
        return search_people(queryset, self.search_query) if self.is_searching else queryset

    def get_table(self, object_list):
        if self.exempt_error:
            pk, reason, error = self.exempt_error
            for row in object_list:  # evaluated once; the table reuses the rows
                if row.pk == pk:
                    row.exempt_reason_draft = reason
                    row.exempt_error = error
        table = super().get_table(object_list)
        table.return_url = list_url(self.index_url, self.request)
        return table


class ExemptionDecisionView(ExemptAccessMixin, View):
    """Base of the POST-only exempt and lift endpoints (GET answers 405)."""

    http_method_names = ["post"]

    def get_assignment(self, pk: int) -> Assignment:
        return get_object_or_404(Assignment.objects.select_related("user", "requirement"), pk=pk)

    def back(self) -> HttpResponse:
        return redirect(
            get_valid_next_url_from_request(self.request) or reverse("compliance_assignments:index")
        )


class ExemptView(ExemptionDecisionView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assignment = self.get_assignment(pk)
        form = ExemptionForm(request.POST)
        if not form.is_valid():
            return self.invalid(assignment, " ".join(form.errors["reason"]))
        try:
            services.assignment_exempt(
                assignment=assignment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.ComplianceError as error:
            return self.invalid(assignment, str(error))
        messages.success(
            request,
            f"{person_name(assignment.user)} is exempt from “{assignment.requirement}”.",
        )
        return self.back()

    def invalid(self, assignment: Assignment, error: str) -> HttpResponse:
        """Show the list again, with the error beside the person, as a 400."""
        messages.error(self.request, error)
        listing = AssignmentsView()
        listing.setup(self.request)
        listing.exempt_error = (assignment.pk, self.request.POST.get("reason", ""), error)
        response = listing.get(self.request)
        response.status_code = 400
        return response


class UnexemptView(ExemptionDecisionView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        assignment = self.get_assignment(pk)
        services.assignment_unexempt(assignment=assignment, by=request.user)
        messages.success(
            request,
            f"Lifted {person_name(assignment.user)}'s exemption from “{assignment.requirement}”: "
            f"it is due again on {day(assignment.due_on)}.",
        )
        return self.back()


class AssignmentViewSet(ViewSet):
    name = "compliance_assignments"
    url_prefix = "compliance/assignments"
    icon = "tasks"
    menu_label = "Assignments"
    menu_item_class = menu_item_for(ExemptAccessMixin)

    def get_urlpatterns(self):
        return [
            path("", AssignmentsView.as_view(), name="index"),
            path("results/", AssignmentsView.as_view(results_only=True), name="index_results"),
            path("<int:pk>/exempt/", ExemptView.as_view(), name="exempt"),
            path("<int:pk>/unexempt/", UnexemptView.as_view(), name="unexempt"),
        ]
