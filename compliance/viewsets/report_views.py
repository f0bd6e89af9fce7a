"""The summary and by-person reports, as of any date, with streamed exports."""

import io
import tempfile
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.urls import path, reverse
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.views.generic import TemplateView

from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet

from base.admin_access import menu_item_for
from base.admin_exports import ExportButtonsInHeaderMixin
from base.people import person_name

from .. import exports, permissions, selectors
from ..filters import PersonReportFilterSet
from ..forms import AsOfForm
from ..models import TrainingRequirement
from ..selectors import search_people
from .common import (
    ReportAccessMixin,
    StatusBadgeColumn,
    day,
    status_label,
)

#: Who may download a person's evidence pack: ``records.permissions`` holds the rule; the
#: records app sits above this one (it gathers from every app), so the report reads its
#: permission by name.
EVIDENCE_PERMISSION = "records.download_evidence"


class EvidenceColumn(Column):
    """A link to the row's evidence pack (PDF) for the row's person and requirement."""

    cell_template_name = "compliance/admin/evidence_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["url"] = (
            reverse("records:evidence_pdf", args=[instance.user_id])
            + f"?requirement={instance.requirement_id}"
        )
        context["person"] = person_name(instance.user)
        return context


class PersonReportView(ReportAccessMixin, ExportButtonsInHeaderMixin, ReportView):
    """Every person's current cycle on each active requirement, as of a date: the
    compliance admin sees everyone, a manager their people.

    Exports stream (:func:`compliance.exports.export_rows`): rows are read as plain
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
    report_columns = [
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
        StatusBadgeColumn("status", label="Status", accessor=status_label),
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
            # The certification's expiry: a renewal not done by then shows the previous one's.
            accessor=lambda row: day(row.certification_expires_on),
            sort_key="certification_expires_on",
        ),
    ]

    @cached_property
    def columns(self):
        """The report's columns, and a link to each row's evidence pack for whoever may
        download it."""
        if self.request.user.has_perm(EVIDENCE_PERMISSION):
            return [*self.report_columns, EvidenceColumn("evidence", label="Evidence")]
        return self.report_columns

    # The export's columns (exports.EXPORT_COLUMNS); Wagtail shows its export buttons
    # when list_export is set.
    list_export = [key for key, _ in exports.EXPORT_COLUMNS]
    export_headings = dict(exports.EXPORT_COLUMNS)

    @cached_property
    def as_of(self) -> date:
        """The report's date: the filter's "as of", or today when it is blank or
        invalid (an invalid filter lists nothing and says why)."""
        value = None
        if self.filters is not None and self.filters.is_bound:
            self.filters.form.is_valid()
            value = self.filters.form.cleaned_data.get("as_of")
        return value or selectors.local_today()

    @cached_property
    def filter_errors(self) -> bool:
        return bool(self.filters is not None and not self.filters.is_valid())

    def get_base_queryset(self):
        people = permissions.reportable_assignments(self.request.user)
        rows = selectors.statuses(as_of=self.as_of, queryset=people).select_related(
            "user", "requirement__course"
        )
        # A request to join the course is shown as it stands now (with_join_request).
        return exports.with_join_request(rows) if self.as_of >= selectors.local_today() else rows

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
        context["managers_view"] = not permissions.is_compliance_admin(self.request.user)
        return context

    def stream_csv(self, queryset):
        return exports.csv_chunks(exports.export_rows(queryset, chunk_size=self.export_chunk_size))

    def write_csv_response(self, queryset) -> StreamingHttpResponse:
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    def write_xlsx(self, queryset, output) -> None:
        exports.write_xlsx(exports.export_rows(queryset, chunk_size=self.export_chunk_size), output)

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


ReportsMenuItem = menu_item_for(ReportAccessMixin)


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


#: A segment of a stacked bar (status, width in %, label, count).
SEGMENT_HTML = (
    '<span class="compliance-bar__segment compliance-status--{}" style="width: {}%" '
    'title="{}: {}"></span>'
)
#: A count in the summary table linking to the people it counts (link, what a screen
#: reader says for it, count).
COUNT_CELL_HTML = '<td><a href="{}" aria-label="{}">{}</a></td>'


@dataclass(frozen=True)
class SummaryLine:
    """One requirement's bar in the chart and row in the table, ready to show."""

    requirement: TrainingRequirement
    figures: selectors.StatusCounts
    #: The by-person report filtered to this requirement.
    url: str
    #: The bar's text alternative: "Fire safety: 2 compliant, 1 overdue".
    chart_label: str
    #: The bar's segments (:data:`SEGMENT_HTML`).
    bar: SafeString
    #: A cell for each status in the table's column order (:data:`COUNT_CELL_HTML`, or
    #: 0 without a link).
    cells: SafeString


def summary_lines(
    rows: list[selectors.RequirementSummary], *, as_of: date, report_url: str
) -> list[SummaryLine]:
    """The summary's rows with their links, labels, bars and count cells built here,
    once: rendered by the template variable by variable (some 60 a row), they took
    longer than the query for the figures. The page's layout stays in the template."""

    def link(**filters) -> str:
        return f"{report_url}?{urlencode({**filters, 'as_of': as_of.isoformat()})}"

    lines = []
    for row in rows:
        name, pk = row.requirement.name, row.requirement.pk
        segments = row.figures.segments
        spoken = ", ".join(f"{part.count} {part.label.lower()}" for part in segments)
        bar = format_html_join(
            "",
            SEGMENT_HTML,
            (
                (
                    part.status.value,
                    localize(part.percent, use_l10n=False),
                    part.label,
                    localize(part.count),
                )
                for part in segments
            ),
        )
        cells = (
            format_html(
                COUNT_CELL_HTML,
                link(requirement=pk, status=status.value),
                f"{count} {status.label.lower()}, {name}",
                localize(count),
            )
            if count
            else format_html("<td>{}</td>", localize(count))
            for status, count in row.figures.columns
        )
        lines.append(
            SummaryLine(
                requirement=row.requirement,
                figures=row.figures,
                url=link(requirement=pk),
                chart_label=f"{name}: {spoken or 'nobody assigned'}",
                bar=bar,
                cells=format_html_join("", "{}", ((cell,) for cell in cells)),
            )
        )
    return lines


class SummaryView(
    ReportAccessMixin, ExportButtonsInHeaderMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Per requirement: assigned, compliant, due soon, overdue, expired, exempt, in
    progress, not started and % compliant (see
    :attr:`compliance.selectors.StatusCounts.percent_compliant`), as of a date, with a
    stacked bar chart, and the same table as CSV or Excel (``?export=csv|xlsx``, with
    the same "as of"). A malformed date answers 400 with the form's message."""

    page_title = "Compliance summary"
    header_icon = "table"
    template_name = "compliance/admin/summary.html"
    export_filename = "compliance-summary"
    show_export_buttons = True

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_export_url(self, format: str) -> str:
        params = self.request.GET.copy()
        params["export"] = format
        return f"{self.request.path}?{params.urlencode()}"

    @property
    def csv_export_url(self) -> str:
        return self.get_export_url("csv")

    @property
    def xlsx_export_url(self) -> str:
        return self.get_export_url("xlsx")

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = AsOfForm(request.GET)
        export = request.GET.get("export")
        if export not in (None, "csv", "xlsx"):
            return HttpResponseBadRequest(
                "Export as csv or xlsx.", content_type="text/plain; charset=utf-8"
            )
        if not form.is_valid():
            if export:
                errors = " ".join(form.errors["as_of"])
                return HttpResponseBadRequest(
                    f"The summary could not be exported: As of: {errors}",
                    content_type="text/plain; charset=utf-8",
                )
            context = self.get_context_data(form=form, as_of=None, rows=[], total=None)
            return self.render_to_response(context, status=400)
        as_of = form.cleaned_data["as_of"] or selectors.local_today()
        rows = selectors.summary(
            as_of=as_of, assignments=permissions.reportable_assignments(request.user)
        )
        total = selectors.StatusCounts()
        for row in rows:
            total += row.figures
        if export:
            return self.export(export, as_of, exports.summary_rows(rows, total))
        context = self.get_context_data(
            form=form,
            as_of=as_of,
            rows=summary_lines(rows, as_of=as_of, report_url=reverse("compliance_report:index")),
            total=total,
            statuses=selectors.TABLE_ORDER,
            chart_order=selectors.CHART_ORDER,
            managers_view=not permissions.is_compliance_admin(request.user),
        )
        return self.render_to_response(context)

    def export(self, format: str, as_of: date, rows) -> HttpResponse:
        """The summary table as a file named after its date
        (``compliance-summary-2026-06-01.csv``); a few rows, so built in memory."""
        rows = list(rows)
        self.record_export(format, len(rows))
        filename = f"{self.export_filename}-{as_of.isoformat()}"
        if format == "csv":
            text = "".join(exports.csv_chunks(rows, headings=exports.summary_headings()))
            response = HttpResponse(text, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
            return response
        output = io.BytesIO()
        exports.write_xlsx(rows, output, headings=exports.summary_headings(), title="Summary")
        response = HttpResponse(
            output.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response


class SummaryViewSet(ViewSet):
    name = "compliance_summary"
    url_prefix = "compliance/summary"
    icon = "table"
    menu_label = "Summary"
    menu_item_class = ReportsMenuItem

    def get_urlpatterns(self):
        return [path("", SummaryView.as_view(), name="index")]
