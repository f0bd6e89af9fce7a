"""Admin for training requirements, with the rule preview before saving."""

from django.http import (
    HttpRequest,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views import View

from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CopyView, CreateView, DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from .. import audit_events, selectors
from ..models import Assignment, TrainingRequirement
from .common import ActiveBadgeColumn

# --- Requirements --------------------------------------------------------------------


class RequirementIndexView(IndexView):
    """Requirements with today's figures, in one extra query per page."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("course")

    def get_table(self, object_list):
        today = selectors.local_today()
        ids = [requirement.pk for requirement in object_list]  # evaluated once, reused
        counts = selectors.status_counts(
            as_of=today, queryset=Assignment.objects.filter(requirement_id__in=ids)
        )
        for requirement in object_list:
            requirement.figures = selectors.StatusCounts.from_row(counts.get(requirement.pk))
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


class AuditedSaveMixin:
    """The save, with its entry in the audit trail in the same transaction (Wagtail's
    form views save in one): the rule before and after."""

    def save_instance(self):
        pk = getattr(self.form.instance, "pk", None) if self.is_edit else None
        old = audit_events.requirement_rule(self.model.objects.get(pk=pk)) if pk else None
        requirement = super().save_instance()
        audit_events.requirement_saved(requirement, by=self.request.user, old=old)
        return requirement


class RequirementCreateView(AuditedSaveMixin, RequirementPreviewMixin, CreateView):
    is_edit = False


class RequirementCopyView(AuditedSaveMixin, RequirementPreviewMixin, CopyView):
    is_edit = False


class RequirementEditView(AuditedSaveMixin, RequirementPreviewMixin, EditView):
    is_edit = True

    def get_preview_url(self) -> str:
        return reverse("compliance_requirements:preview_existing", args=[self.object.pk])


class RequirementDeleteView(DeleteView):
    """Deletes a requirement with its assignments, after a warning that their history
    goes too. The audit entry (``fledge.requirement.delete``, by the signed-in user
    through Wagtail's log context) is written by ``compliance.receivers`` before the
    rows go, in the deletion's transaction, as for a deletion made any other way."""

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
    (:func:`compliance.selectors.rule_preview`). Invalid values answer 400 with the
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
        preview = selectors.rule_preview(
            requirement=form.instance,
            group_ids=[group.pk for group in form.cleaned_data.get("audience_groups", [])],
            user_ids=[user.pk for user in form.cleaned_data.get("audience_users", [])],
            as_of=selectors.local_today(),
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
        ActiveBadgeColumn("active", label="Active", sort_key="active"),
        Column("assigned", label="Assigned", accessor="figures.assigned"),
        Column("percent_compliant", label="Compliant", accessor=_percent),
        Column("overdue", label="Overdue", accessor="figures.overdue"),
    ]
    list_filter = ["active"]
    search_fields = ["name"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        # Look courses up by ``id``, which Django range-checks, not by the ``page_ptr``
        # link, which it does not: an id of 30 digits is "not a valid choice", not a 500.
        form_class.base_fields["course"].to_field_name = "id"
        return form_class

    def get_urlpatterns(self):
        preview = RequirementPreviewView.as_view(form_class=self.get_form_class())
        return [
            *super().get_urlpatterns(),
            path("preview/", preview, name="preview"),
            path("<int:pk>/preview/", preview, name="preview_existing"),
        ]
