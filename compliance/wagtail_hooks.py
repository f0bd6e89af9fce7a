"""Wagtail hooks: the "Compliance" admin menu and the dashboard's compliance panel."""

from django.template.loader import render_to_string
from django.urls import reverse

from wagtail import hooks
from wagtail.admin.ui.components import Component

from . import reports, services
from .models import Assignment
from .scheduling import Status
from .viewsets import ComplianceViewSetGroup


@hooks.register("register_admin_viewset")
def register_compliance_menu():
    """Requirements, assignments (exemptions), managers and the reports, for compliance admins (the
    reports also for managers, limited to their people)."""
    return ComplianceViewSetGroup()


class CompliancePanel(Component):
    """Overall figures on the admin dashboard: assigned, % compliant, overdue and
    expired today, for everyone (compliance admins) or the user's people (managers)."""

    name = "compliance_summary"
    template_name = "compliance/admin/home_panel.html"
    order = 50  # above Wagtail's own panels (moderation 210+, recent edits 250)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        today = services.local_today()
        report_url = reverse("compliance_report:index")
        context.update(
            {
                "today": today,
                "figures": reports.overall(today, reports.reportable_assignments(user)),
                "managers_view": not reports.is_compliance_admin(user),
                "summary_url": reverse("compliance_summary:index"),
                "overdue_url": f"{report_url}?status={Status.OVERDUE.value}",
                "expired_url": f"{report_url}?status={Status.EXPIRED.value}",
            }
        )
        return context


@hooks.register("construct_homepage_panels")
def add_compliance_panel(request, panels):
    if reports.can_view_reports(request.user):
        panels.append(CompliancePanel())


# ``learner.views.COURSE_COMPLETE_PANELS_HOOK``: (order, html) or None.
@hooks.register("learner_course_complete_panels")
def training_on_completion(request, enrollment):
    """The required training a completion counted toward (the assignments it completed),
    with how long each stays valid; nothing when it counted toward none."""
    assignments = list(
        Assignment.objects.filter(enrollment=enrollment, user=request.user)
        .select_related("requirement")
        .order_by("requirement__name")
    )
    if not assignments:
        return None
    html = render_to_string(
        "compliance/includes/course_complete.html", {"assignments": assignments}, request=request
    )
    return (20, html)
