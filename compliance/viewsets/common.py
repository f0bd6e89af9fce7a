"""Helpers shared by the compliance admin views: who may see what, and formatting."""

from datetime import date

from django.http import (
    HttpRequest,
)
from django.utils.formats import date_format

from wagtail.admin.ui.tables import Column
from wagtail.permissions import policy_registry

from accounts.models import Profile
from base.admin_access import AccessRuleMixin

from .. import exports, permissions
from ..models import Assignment, TrainingRequirement
from ..permissions import may_exempt
from ..scheduling import Status

# --- Who may see what ----------------------------------------------------------------


class ReportAccessMixin(AccessRuleMixin):
    """Only compliance admins and managers (who see their own people)."""

    access_rule = staticmethod(permissions.can_view_reports)


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


def list_url(url: str, request: HttpRequest) -> str:
    """``url`` with the request's listing parameters (not the fragment/export ones)."""
    params = request.GET.copy()
    for key in ("_w_filter_fragment", "export"):
        params.pop(key, None)
    query = params.urlencode()
    return url + (f"?{query}" if query else "")
