"""Export buttons in an admin report's header, shared by every app's reports.

Wagtail's :class:`~wagtail.admin.views.mixins.SpreadsheetExportMixin` puts "Download
XLSX" and "Download CSV" under the header's "…" menu, where people miss them. Its
``header_buttons`` are shown as buttons, so the mixin moves the two links there. The
links are Wagtail's own (``csv_export_url``, ``xlsx_export_url``): the current URL with
``export=…``, so they keep the filters, search and ordering, and the header is drawn
again when the filters refresh the listing.
"""

from django.utils.functional import cached_property

from wagtail.admin.widgets.button import Button


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
