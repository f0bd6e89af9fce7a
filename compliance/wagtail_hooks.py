"""Wagtail hooks: the "Compliance" admin menu and the dashboard's compliance panel."""

from django.http import HttpRequest
from django.urls import reverse

from wagtail import hooks
from wagtail.admin.ui.components import Component

from base.admin_refusals import refuse
from base.panels import Panel
from catalog.selectors import courses_within

from . import dashboard, erasure, permissions, personal_data, selectors
from .models import Assignment, TrainingRequirement
from .scheduling import Status
from .viewsets import ComplianceViewSetGroup, PeopleChooserViewSet


@hooks.register("register_admin_viewset")
def register_compliance_menu():
    """Requirements, assignments (exemptions), managers and the reports, for compliance admins (the
    reports also for managers, limited to their people)."""
    return ComplianceViewSetGroup()


@hooks.register("register_admin_viewset")
def register_people_chooser():
    """The people chooser's modal (no menu item), for the requirement and manager forms."""
    return PeopleChooserViewSet()


class CompliancePanel(Component):
    """Overall figures on the admin dashboard: assigned, % compliant, overdue and
    expired today, for everyone (compliance admins) or the user's people (managers)."""

    name = "compliance_summary"
    template_name = "compliance/admin/home_panel.html"
    order = 50  # above Wagtail's own panels (moderation 210+, recent edits 250)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        today = selectors.local_today()
        report_url = reverse("compliance_report:index")
        context.update(
            {
                "today": today,
                "figures": selectors.overall(
                    as_of=today, assignments=permissions.reportable_assignments(user)
                ),
                "managers_view": not permissions.is_compliance_admin(user),
                "summary_url": reverse("compliance_summary:index"),
                "overdue_url": f"{report_url}?status={Status.OVERDUE.value}",
                "expired_url": f"{report_url}?status={Status.EXPIRED.value}",
            }
        )
        return context


@hooks.register("construct_homepage_panels")
def add_compliance_panel(request, panels):
    if permissions.can_view_reports(request.user):
        panels.append(CompliancePanel())


# ``learner.views.DASHBOARD_PANELS_HOOK``: a Panel or None.
@hooks.register("learner_dashboard_panels")
def required_training_panel(request: HttpRequest) -> Panel | None:
    """The "Required training" panel, or None for someone with no required training."""
    items = dashboard.required_training_items(
        request.user, selectors.local_today(), request=request
    )
    if not items:
        return None
    return Panel(
        "compliance/dashboard_panel.html",
        {"items": items, "cards": dashboard.required_training_cards(items)},
        order=dashboard.PANEL_ORDER,
    )


# ``learner.views.COURSE_COMPLETE_PANELS_HOOK``: a Panel or None.
@hooks.register("learner_course_complete_panels")
def training_on_completion(request, enrollment) -> Panel | None:
    """The required training a completion counted toward (the assignments it completed),
    with how long each stays valid; nothing when it counted toward none."""
    assignments = list(
        Assignment.objects.filter(enrollment=enrollment, user=request.user)
        .select_related("requirement")
        .order_by("requirement__name")
    )
    if not assignments:
        return None
    return Panel("compliance/includes/course_complete.html", {"assignments": assignments}, order=20)


# --- A course that required training names is kept -----------------------------------


def _requirements_on(pages) -> list[TrainingRequirement]:
    return list(
        TrainingRequirement.objects.filter(course__in=courses_within(pages=pages)).order_by("name")
    )


def _keeps_requirements_message(requirements) -> str:
    names = ", ".join(f"“{requirement.name}”" for requirement in requirements)
    return (
        f"Not deleted: the required training {names} is done by completing this course. "
        "Delete or change the requirement first (Compliance → Requirements)."
    )


@hooks.register("before_delete_page")
def refuse_deleting_required_courses(request, page):
    """A requirement's course is protected in the database; without this the admin's
    delete would fail with a server error instead of saying why."""
    if requirements := _requirements_on([page]):
        return refuse(request, _keeps_requirements_message(requirements), page)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_required_courses(request, action_type, objects, action):
    if action_type == "delete" and (requirements := _requirements_on(objects)):
        return refuse(request, _keeps_requirements_message(requirements))
    return None


# A person's records (records.hooks): this app's part of their data download, evidence
# pack and erasure, and of the retention purge.
hooks.register("register_person_export", personal_data.export_person)
hooks.register("register_person_evidence", personal_data.person_evidence)
hooks.register("register_person_erasure", erasure.erase_person)
hooks.register("register_retention_purge", erasure.purge_before)
hooks.register("register_evidence_scope", personal_data.evidence_scope)
