"""Export buttons in an admin report's header, shared by every app's reports.

Wagtail's :class:`~wagtail.admin.views.mixins.SpreadsheetExportMixin` puts "Download
XLSX" and "Download CSV" under the header's "…" menu, where people miss them. Its
``header_buttons`` are shown as buttons, so the mixin moves the two links there. The
links are Wagtail's own (``csv_export_url``, ``xlsx_export_url``): the current URL with
``export=…``, so they keep the filters, search and ordering, and the header is drawn
again when the filters refresh the listing.

Every export is recorded in the audit trail (who, which report, which filters, how many
rows) by :meth:`ExportButtonsInHeaderMixin.as_spreadsheet`, which each export passes.
"""

from django.utils.functional import cached_property

from wagtail.admin.widgets.button import Button

import audit

#: Query parameters of a listing that are not its filters.
NOT_FILTERS = {"export", "p"}
#: Query parameters holding free text (a search), kept only as keyed digests.
FREE_TEXT = {"q", "search"}


class ExportButtonsInHeaderMixin:
    """ "Download CSV" and "Download Excel" as buttons in the header of a view that
    mixes in Wagtail's ``SpreadsheetExportMixin`` (put this mixin before it)."""

    @cached_property
    def header_buttons(self) -> list[Button]:
        buttons = list(super().header_buttons)
        if self.show_export_buttons:
            buttons += [
                Button("Download CSV", url=self.csv_export_url, icon_name="download", priority=80),
                Button(
                    "Download Excel", url=self.xlsx_export_url, icon_name="download", priority=90
                ),
            ]
        return buttons

    @cached_property
    def header_more_buttons(self) -> list[Button]:
        # Wagtail's copies of the same two links, in the "…" menu.
        exports = {self.csv_export_url, self.xlsx_export_url}
        return [button for button in super().header_more_buttons if button.url not in exports]

    def as_spreadsheet(self, queryset, spreadsheet_format):
        """Wagtail's export, recorded in the audit trail first."""
        rows = len(queryset) if isinstance(queryset, list) else queryset.count()
        self.record_export(spreadsheet_format, rows)
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def record_export(self, spreadsheet_format: str, rows: int) -> None:
        """Record an export in the audit trail: the person exporting, the report, its
        filters (the query string but the page; searched text only as a keyed digest,
        since it may be a person's name) and the row count. A view that builds its file
        itself calls this."""
        filters = {
            key: [audit.text_digest(v) if key in FREE_TEXT else v for v in params]
            for key, params in sorted(self.request.GET.lists())
            if key not in NOT_FILTERS
        }
        audit.record(
            actor=self.request.user,
            action="fledge.report.export",
            obj=self.request.user,
            payload={
                "report": type(self).__name__,
                "format": spreadsheet_format,
                "filters": filters,
                "rows": rows,
            },
        )
