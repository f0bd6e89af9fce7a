"""Table columns shared by Fledge's admin listings."""

from typing import Any

from django.middleware.csrf import get_token

from wagtail.admin.ui.tables import Column


class ActionFormsColumn(Column):
    """A column whose cells hold POST forms (approve, reject, exempt…): table cells
    render outside the request's context, so the CSRF token and the listing's return
    URL (``next_url``) are handed to the cell here. Subclasses add their action URLs."""

    def get_cell_context_data(self, instance: Any, parent_context: Any) -> dict[str, Any]:
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        context["csrf_token"] = get_token(request) if request else ""
        context["next_url"] = getattr(parent_context["table"], "return_url", "")
        return context
