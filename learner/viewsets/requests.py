"""Enrolment requests: pending requests with Approve and Reject (with a reason)."""

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views import View

from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.viewsets.base import ViewSet

from base.admin_access import menu_item_for
from base.admin_columns import ActionFormsColumn
from catalog.selectors import editable_courses

from .. import services
from ..models import Enrollment
from ..selectors import pending_requests
from .common import CourseFilterSet, LearnersAccessMixin, Status, learner_name

#: Longest rejection reason kept (the service truncates to the same length).
MAX_REASON_LENGTH = 2000


# --- Enrolment requests --------------------------------------------------------------


class RequestActionsColumn(ActionFormsColumn):
    """Approve and Reject (with a required reason) forms for one pending request."""

    cell_template_name = "learner/admin/request_actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["approve_url"] = reverse("learner_requests:approve", args=[instance.pk])
        context["reject_url"] = reverse("learner_requests:reject", args=[instance.pk])
        context["learner"] = learner_name(instance)
        return context


class EnrollmentRequestsView(LearnersAccessMixin, BaseListingView):
    """Pending enrolment requests in the courses the user may edit, oldest first."""

    page_title = "Enrolment requests"
    header_icon = "user"
    index_url_name = "learner_requests:index"
    index_results_url_name = "learner_requests:index_results"
    filterset_class = CourseFilterSet
    default_ordering = "requested_at"
    paginate_by = 50
    verbose_name = "enrolment request"
    verbose_name_plural = "enrolment requests"
    columns = [
        Column("learner", label="Learner", accessor=learner_name, sort_key="user__last_name"),
        Column("username", label="Username", accessor="user.username"),
        Column("email", label="Email", accessor="user.email"),
        TitleColumn(
            "course",
            label="Course",
            accessor="course.title",
            url_name="wagtailadmin_pages:edit",
            id_accessor="course_id",
            sort_key="course__title",
        ),
        DateColumn("requested_at", label="Requested", sort_key="requested_at"),
        RequestActionsColumn("decision", label="Decision"),
    ]

    #: The rejected form to show again, as (enrolment id, reason, error); set by the
    #: reject view when the reason is missing.
    reject_error: tuple[int, str, str] | None = None

    def get_base_queryset(self):
        return pending_requests(courses=editable_courses(user=self.request.user))

    def get_table(self, object_list):
        if self.reject_error:
            pk, reason, error = self.reject_error
            for enrollment in object_list:  # evaluated once; the table reuses the rows
                if enrollment.pk == pk:
                    enrollment.reject_reason = reason
                    enrollment.reject_error = error
        table = super().get_table(object_list)
        params = self.request.GET.copy()
        for key in ("_w_filter_fragment", "export"):
            params.pop(key, None)
        query = params.urlencode()
        table.return_url = self.index_url + (f"?{query}" if query else "")
        return table


class EnrollmentDecisionView(LearnersAccessMixin, View):
    """Base for the POST-only approve and reject endpoints (GET answers 405)."""

    http_method_names = ["post"]

    def get_enrollment(self, pk: int) -> Enrollment:
        # Ids outside the user's courses are 404, the same as ids that do not exist.
        rows = Enrollment.objects.filter(
            course__in=editable_courses(user=self.request.user)
        ).select_related("user", "course")
        return get_object_or_404(rows, pk=pk)

    def back(self) -> HttpResponse:
        return redirect(
            get_valid_next_url_from_request(self.request) or reverse("learner_requests:index")
        )


class ApproveView(EnrollmentDecisionView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enrollment = self.get_enrollment(pk)
        try:
            enrollment = services.enrollment_approve(enrollment=enrollment, by=request.user)
        except services.LearningError as error:
            messages.error(request, str(error))
            return self.back()
        name, course = learner_name(enrollment), enrollment.course.title
        if enrollment.status == Status.ACTIVE:
            messages.success(request, f"Approved: {name} is now enrolled in “{course}”.")
        else:
            messages.warning(
                request, f"Approved: “{course}” is full, so {name} is on the waitlist."
            )
        return self.back()


class RejectForm(forms.Form):
    reason = forms.CharField(
        max_length=MAX_REASON_LENGTH,
        strip=True,
        error_messages={"required": "Give the learner a reason for turning down the request."},
    )


class RejectView(EnrollmentDecisionView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enrollment = self.get_enrollment(pk)
        form = RejectForm(request.POST)
        if not form.is_valid():
            return self.invalid(enrollment, form)
        try:
            enrollment = services.enrollment_reject(
                enrollment=enrollment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.LearningError as error:
            messages.error(request, str(error))
            return self.back()
        messages.success(
            request,
            f"Turned down {learner_name(enrollment)}'s request to join "
            f"“{enrollment.course.title}”. They have been emailed the reason.",
        )
        return self.back()

    def invalid(self, enrollment: Enrollment, form: RejectForm) -> HttpResponse:
        """Show the list again, with the error beside the request, as a 400."""
        error = " ".join(form.errors["reason"])
        messages.error(self.request, error)
        listing = EnrollmentRequestsView()
        listing.setup(self.request)
        listing.reject_error = (enrollment.pk, form.data.get("reason", ""), error)
        response = listing.get(self.request)
        response.status_code = 400
        return response


class EnrollmentRequestsMenuItem(menu_item_for(LearnersAccessMixin)):
    """Shown to course editors; its label counts the requests waiting for them."""

    def render_component(self, request: HttpRequest):
        component = super().render_component(request)
        waiting = pending_requests(courses=editable_courses(user=request.user)).count()
        if waiting:
            component.label = f"{self.label} ({waiting})"
        return component


class EnrollmentRequestViewSet(ViewSet):
    name = "learner_requests"
    url_prefix = "learners/requests"
    icon = "user"
    menu_label = "Enrolment requests"
    menu_item_class = EnrollmentRequestsMenuItem

    def get_urlpatterns(self):
        return [
            path("", EnrollmentRequestsView.as_view(), name="index"),
            path(
                "results/", EnrollmentRequestsView.as_view(results_only=True), name="index_results"
            ),
            path("<int:pk>/approve/", ApproveView.as_view(), name="approve"),
            path("<int:pk>/reject/", RejectView.as_view(), name="reject"),
        ]
