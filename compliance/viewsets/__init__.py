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

Outside the menu, the *people chooser* (:mod:`.people`): the searchable modal that the
requirement and manager forms pick people with.

Compliance admins (the "Compliance admins" group, superusers) see everything. A manager
sees the two reports, limited to their own people (see :mod:`compliance.permissions`),
provided they can reach the Wagtail admin at all (``wagtailadmin.access_admin``).
"""

from wagtail.admin.viewsets.base import ViewSetGroup

from .assignments import AssignmentViewSet
from .managers import ManagerViewSet
from .people import PeopleChooserViewSet
from .report_views import PersonReportView, PersonReportViewSet, SummaryViewSet
from .requirements import RequirementViewSet

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


__all__ = ["ComplianceViewSetGroup", "PeopleChooserViewSet", "PersonReportView"]
