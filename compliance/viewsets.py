"""The compliance admin in Wagtail, grouped under a "Compliance" menu.

- *Requirements*: create, edit and delete required training (compliance admins), with
  a "Preview" of the rule before saving and each requirement's figures for today.
- *Assignments*: everyone's current cycle, filterable by requirement, status and
  person, with "Exempt" (a reason is required) and "Lift exemption".
- *Managers*: who manages whom (``accounts.Profile``).
- *Summary*: per requirement, how many people are compliant, due soon, overdue…, with
  a chart, as of any date.
- *By person*: a listing of every person's current cycle, filterable and exportable as
  CSV or Excel, as of any date.

Compliance admins (the "Compliance admins" group, superusers) see everything. A manager
sees the two reports, limited to their own people (see :mod:`compliance.reports`),
provided they can reach the Wagtail admin at all (``wagtailadmin.access_admin``).
"""

import tempfile
from datetime import date

from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    StreamingHttpResponse,
)
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import TemplateView

from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, StatusTagColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import CopyView, CreateView, DeleteView, EditView, IndexView
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput
from wagtail.permissions import policy_registry

import django_filters

from accounts.models import Profile

from . import reports, selectors, services
from .forms import AsOfForm, ExemptionForm, ProfileForm, ProfileUpdateForm, person_label
from .models import Assignment, TrainingRequirement
from .scheduling import Status

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


# --- Requirements --------------------------------------------------------------------


class RequirementIndexView(IndexView):
    """Requirements with today's figures, in one extra query per page."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("course")

    def get_table(self, object_list):
        today = services.local_today()
        ids = [requirement.pk for requirement in object_list]  # evaluated once, reused
        counts = selectors.status_counts(today, Assignment.objects.filter(requirement_id__in=ids))
        for requirement in object_list:
            requirement.figures = reports.StatusCounts.from_row(counts.get(requirement.pk))
        return super().get_table(object_list)


def _percent(requirement) -> str:
    percent = requirement.figures.percent_compliant
    return "" if percent is None else f"{percent}%"


class RequirementPreviewMixin:
    """Gives the form template the URL of the preview endpoint."""

    def get_preview_url(self) -> str:
        return reverse("compliance_requirements:preview")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview_url"] = self.get_preview_url()
        return context


class RequirementCreateView(RequirementPreviewMixin, CreateView):
    pass


class RequirementCopyView(RequirementPreviewMixin, CopyView):
    pass


class RequirementEditView(RequirementPreviewMixin, EditView):
    def get_preview_url(self) -> str:
        return reverse("compliance_requirements:preview_existing", args=[self.object.pk])


class RequirementDeleteView(DeleteView):
    @cached_property
    def confirmation_message(self) -> str:
        rows = self.object.assignments.count()
        if not rows:
            return super().confirmation_message
        return (
            f"Deleting “{self.object}” also deletes its {rows} assignment record(s), the "
            "history of who did it and when. To stop assigning it but keep the history, "
            "untick “Active” instead. Delete it anyway?"
        )


class RequirementPreviewView(View):
    """POST the requirement form's current values; answer how many people the rule
    would assign and how many would be due soon or overdue today, as JSON
    (:func:`compliance.reports.rule_preview`). Invalid values answer 400 with the
    form's messages; nothing is saved."""

    http_method_names = ["post"]
    form_class = None  # the viewset's form class

    def post(self, request: HttpRequest, pk: int | None = None) -> JsonResponse:
        policy = policy_registry.get_by_type(TrainingRequirement)
        if not policy.user_has_any_permission(request.user, ["add", "change"]):
            return JsonResponse(
                {"message": "You do not have permission to manage required training."},
                status=403,
            )
        instance = get_object_or_404(TrainingRequirement, pk=pk) if pk else TrainingRequirement()
        form = self.form_class(request.POST, instance=instance, for_user=request.user)
        if not form.is_valid():
            errors = [
                {
                    "field": name,
                    "label": str(form.fields[name].label) if name in form.fields else "",
                    "messages": [str(message) for message in messages_],
                }
                for name, messages_ in form.errors.items()
            ]
            return JsonResponse(
                {"message": "Correct these to see a preview:", "errors": errors}, status=400
            )
        preview = reports.rule_preview(
            requirement=form.instance,
            group_ids=[group.pk for group in form.cleaned_data.get("audience_groups", [])],
            user_ids=[user.pk for user in form.cleaned_data.get("audience_users", [])],
            as_of=services.local_today(),
        )
        return JsonResponse(preview.as_json())


class RequirementViewSet(ModelViewSet):
    model = TrainingRequirement
    name = "compliance_requirements"
    url_prefix = "compliance/requirements"
    icon = "clipboard-list"
    menu_label = "Requirements"
    index_view_class = RequirementIndexView
    add_view_class = RequirementCreateView
    edit_view_class = RequirementEditView
    copy_view_class = RequirementCopyView
    delete_view_class = RequirementDeleteView
    create_template_name = "compliance/admin/requirement_form.html"
    edit_template_name = "compliance/admin/requirement_form.html"
    list_display = [
        "name",
        "course",
        Column("rule", label="Due rule", accessor="describe_rule"),
        BooleanColumn("active", label="Active", sort_key="active"),
        Column("assigned", label="Assigned", accessor="figures.assigned"),
        Column("percent_compliant", label="Compliant", accessor=_percent),
        Column("overdue", label="Overdue", accessor="figures.overdue"),
    ]
    list_filter = ["active"]
    search_fields = ["name"]
    search_backend_name = None

    def get_urlpatterns(self):
        preview = RequirementPreviewView.as_view(form_class=self.get_form_class())
        return [
            *super().get_urlpatterns(),
            path("preview/", preview, name="preview"),
            path("<int:pk>/preview/", preview, name="preview_existing"),
        ]


# --- Assignments and exemptions ------------------------------------------------------


class AssignmentFilterSet(WagtailFilterSet):
    requirement = requirement_filter()
    status = status_filter()

    class Meta:
        model = Assignment
        fields = ["requirement", "status"]


class ExemptionColumn(Column):
    """The "Exempt…" (reason required) or "Lift exemption" action for one person's cycle."""

    cell_template_name = "compliance/admin/exemption_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        # Table cells render outside the request context: hand over the CSRF token.
        context["csrf_token"] = get_token(request) if request else ""
        context["exempt_url"] = reverse("compliance_assignments:exempt", args=[instance.pk])
        context["unexempt_url"] = reverse("compliance_assignments:unexempt", args=[instance.pk])
        context["next_url"] = getattr(parent_context["table"], "return_url", "")
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
        StatusTagColumn(
            "status", label="Status", accessor=status_label, primary=lambda r: r.status in MET
        ),
        ExemptionColumn("exemption", label="Exemption"),
    ]

    #: The exemption form to show again, as (assignment id, reason, error); set by the
    #: exempt view when the reason is missing.
    exempt_error: tuple[int, str, str] | None = None

    def get_base_queryset(self):
        return selectors.statuses(services.local_today()).select_related(
            "user", "requirement", "exempted_by"
        )

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
        services.assignment_unexempt(assignment=assignment)
        messages.success(
            request,
            f"Lifted {person_name(assignment.user)}'s exemption from “{assignment.requirement}”: "
            f"it is due again on {day(assignment.due_on)}.",
        )
        return self.back()


class AssignmentsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return may_exempt(request.user)


class AssignmentViewSet(ViewSet):
    name = "compliance_assignments"
    url_prefix = "compliance/assignments"
    icon = "tasks"
    menu_label = "Assignments"
    menu_item_class = AssignmentsMenuItem

    def get_urlpatterns(self):
        return [
            path("", AssignmentsView.as_view(), name="index"),
            path("results/", AssignmentsView.as_view(results_only=True), name="index_results"),
            path("<int:pk>/exempt/", ExemptView.as_view(), name="exempt"),
            path("<int:pk>/unexempt/", UnexemptView.as_view(), name="unexempt"),
        ]


# --- Managers ------------------------------------------------------------------------


class ManagerIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "manager")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        people = search_people(queryset, self.search_query)
        managers = search_people(queryset, self.search_query, prefix="manager__")
        return people | managers


class ManagerViewSet(ModelViewSet):
    """Who manages whom; a person cannot be their own manager."""

    model = Profile
    name = "compliance_managers"
    url_prefix = "compliance/managers"
    icon = "group"
    menu_label = "Managers"
    index_view_class = ManagerIndexView
    copy_view_enabled = False
    list_display = [
        "user",
        Column("name", label="Name", accessor=lambda profile: profile.user.get_full_name()),
        Column(
            "manager",
            label="Manager",
            accessor=lambda profile: person_label(profile.manager) if profile.manager else "",
            sort_key="manager__last_name",
        ),
    ]
    search_fields = ["user__username"]  # the search itself is search_people's
    search_backend_name = None

    def get_form_class(self, for_update: bool = False):
        return ProfileUpdateForm if for_update else ProfileForm


# --- Reports: by person --------------------------------------------------------------


def _keep(queryset, name, value):
    return queryset


class PersonReportFilterSet(WagtailFilterSet):
    as_of = django_filters.DateFilter(
        label="As of",
        method=_keep,  # the view applies it to every status, not as a row filter
        widget=AdminDateInput,
        help_text=AsOfForm.base_fields["as_of"].help_text,
        error_messages=AsOfForm.base_fields["as_of"].error_messages,
    )
    requirement = requirement_filter()
    group = django_filters.ModelChoiceFilter(
        label="Group",
        queryset=Group.objects.order_by("name"),
        empty_label="All groups",
        method="filter_group",
    )
    status = status_filter()
    due = django_filters.DateFromToRangeFilter(
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


class PersonReportView(ReportAccessMixin, ReportView):
    """Every person's current cycle on each active requirement, as of a date: the
    compliance admin sees everyone, a manager their people.

    Exports stream (:func:`compliance.reports.export_rows`): rows are read as plain
    values with ``iterator(chunk_size=…)``; the CSV is written block by block into a
    StreamingHttpResponse as the cursor is read, and the Excel file by openpyxl in
    write-only mode into a temporary file that is then streamed. Neither holds the
    rows in memory. (Wagtail's own export iterates the queryset, which caches every
    row, and builds the HTML listing's context first, which counts them.)
    """

    page_title = "Compliance by person"
    header_icon = "list-ul"
    index_url_name = "compliance_report:index"
    index_results_url_name = "compliance_report:index_results"
    results_template_name = "compliance/admin/report_results.html"
    filterset_class = PersonReportFilterSet
    is_searchable = True
    default_ordering = "requirement__name"
    verbose_name = "assignment"
    verbose_name_plural = "assignments"
    export_filename = "compliance-report"
    #: Rows fetched from the database at a time while exporting.
    export_chunk_size = 2000
    columns = [
        Column(
            "person",
            label="Person",
            accessor=lambda row: person_name(row.user),
            sort_key="user__last_name",
        ),
        Column("email", label="Email", accessor="user.email", sort_key="user__email"),
        Column(
            "requirement",
            label="Requirement",
            accessor="requirement.name",
            sort_key="requirement__name",
        ),
        Column("course", label="Course", accessor="requirement.course.title"),
        Column("cycle", label="Cycle", accessor="cycle", sort_key="cycle"),
        StatusTagColumn(
            "status", label="Status", accessor=status_label, primary=lambda r: r.status in MET
        ),
        Column(
            "assigned_on",
            label="Assigned",
            accessor=lambda row: day(row.assigned_on),
            sort_key="assigned_on",
        ),
        Column("due_on", label="Due", accessor=lambda row: day(row.due_on), sort_key="due_on"),
        Column(
            "completed_on",
            label="Completed",
            accessor=lambda row: day(row.completed_on),
            sort_key="completed_on",
        ),
        Column(
            "expires_on",
            label="Expires",
            accessor=lambda row: day(row.expires_on),
            sort_key="expires_on",
        ),
    ]
    # The export's columns (reports.EXPORT_COLUMNS); Wagtail shows its export buttons
    # when list_export is set.
    list_export = [key for key, _ in reports.EXPORT_COLUMNS]
    export_headings = dict(reports.EXPORT_COLUMNS)

    @cached_property
    def as_of(self) -> date:
        """The report's date: the filter's "as of", or today when it is blank or
        invalid (an invalid filter lists nothing and says why)."""
        value = None
        if self.filters is not None and self.filters.is_bound:
            self.filters.form.is_valid()
            value = self.filters.form.cleaned_data.get("as_of")
        return value or services.local_today()

    @cached_property
    def filter_errors(self) -> bool:
        return bool(self.filters is not None and not self.filters.is_valid())

    def get_base_queryset(self):
        people = reports.reportable_assignments(self.request.user)
        return selectors.statuses(self.as_of, people).select_related("user", "requirement__course")

    def order_queryset(self, queryset):
        # A unique tie-breaker keeps pages and exports in a stable order.
        queryset = super().order_queryset(queryset)
        return queryset.order_by(*queryset.query.order_by, "user__last_name", "pk")

    def filter_queryset(self, queryset):
        if self.filter_errors:
            return queryset.none()
        return super().filter_queryset(queryset)

    def search_queryset(self, queryset):
        return search_people(queryset, self.search_query) if self.is_searching else queryset

    def get_filtered_queryset(self):
        return self.get_queryset()  # get_queryset already filters and searches

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if self.is_export:
            # Skip the HTML listing's context, which would count and cache every row.
            if self.filter_errors:
                return HttpResponseBadRequest(
                    "The report could not be exported: "
                    + "; ".join(
                        f"{self.filters.form[name].label}: {' '.join(errors)}"
                        for name, errors in self.filters.form.errors.items()
                    ),
                    content_type="text/plain; charset=utf-8",
                )
            return self.as_spreadsheet(self.get_queryset(), request.GET["export"])
        response = super().get(request, *args, **kwargs)
        if self.filter_errors and not self.results_only:
            response.status_code = 400
        return response

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["as_of"] = self.as_of
        context["managers_view"] = not reports.is_compliance_admin(self.request.user)
        return context

    def stream_csv(self, queryset):
        return reports.csv_chunks(reports.export_rows(queryset, chunk_size=self.export_chunk_size))

    def write_csv_response(self, queryset) -> StreamingHttpResponse:
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    def write_xlsx(self, queryset, output) -> None:
        reports.write_xlsx(reports.export_rows(queryset, chunk_size=self.export_chunk_size), output)

    def write_xlsx_response(self, queryset) -> FileResponse:
        # A temporary file, not memory: openpyxl's write-only mode keeps rows on disk
        # too, and FileResponse streams the finished file in blocks.
        output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=f"{self.get_filename()}.xlsx",
        )


class ReportsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return reports.can_view_reports(request.user)


class PersonReportViewSet(ViewSet):
    name = "compliance_report"
    url_prefix = "compliance/report"
    icon = "list-ul"
    menu_label = "By person"
    menu_item_class = ReportsMenuItem

    def get_urlpatterns(self):
        return [
            path("", PersonReportView.as_view(), name="index"),
            path("results/", PersonReportView.as_view(results_only=True), name="index_results"),
        ]


# --- Reports: summary ----------------------------------------------------------------


class SummaryView(ReportAccessMixin, WagtailAdminTemplateMixin, TemplateView):
    """Per requirement: assigned, compliant, due soon, overdue, expired, exempt, in
    progress, not started and % compliant (see
    :attr:`compliance.reports.StatusCounts.percent_compliant`), as of a date, with a
    stacked bar chart. A malformed date answers 400 with the form's message."""

    page_title = "Compliance summary"
    header_icon = "table"
    template_name = "compliance/admin/summary.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = AsOfForm(request.GET)
        if not form.is_valid():
            context = self.get_context_data(form=form, as_of=None, rows=[], total=None)
            return self.render_to_response(context, status=400)
        as_of = form.cleaned_data["as_of"] or services.local_today()
        rows = reports.summary(as_of, reports.reportable_assignments(request.user))
        total = reports.StatusCounts()
        for row in rows:
            total += row.figures
        context = self.get_context_data(
            form=form,
            as_of=as_of,
            rows=rows,
            total=total,
            statuses=reports.TABLE_ORDER,
            chart_order=reports.CHART_ORDER,
            report_url=reverse("compliance_report:index"),
            managers_view=not reports.is_compliance_admin(request.user),
        )
        return self.render_to_response(context)


class SummaryViewSet(ViewSet):
    name = "compliance_summary"
    url_prefix = "compliance/summary"
    icon = "table"
    menu_label = "Summary"
    menu_item_class = ReportsMenuItem

    def get_urlpatterns(self):
        return [path("", SummaryView.as_view(), name="index")]


# --- The menu ------------------------------------------------------------------------


class ComplianceViewSetGroup(ViewSetGroup):
    """The "Compliance" menu; shown when at least one of its items is."""

    menu_label = "Compliance"
    menu_icon = "calendar-check"
    menu_order = 160  # after Learners (150), before Images (300)
    items = (
        SummaryViewSet,
        PersonReportViewSet,
        RequirementViewSet,
        AssignmentViewSet,
        ManagerViewSet,
    )
