"""Instructor views in the Wagtail admin, grouped under a "Learners" menu.

- *Enrolment requests*: pending requests in the courses the user may edit, each with
  Approve and Reject (with a reason) buttons that call the enrolment services.
- *Course progress*: a report of every enrolment in those courses, with progress and
  best quiz score, filterable by course and status, exportable as CSV and XLSX.

Both are visible to users who may edit at least one course (instructors, reviewers)
and to superusers. Rows are always limited to the courses the user may edit: another
instructor's learners are neither listed nor reachable by id (404).
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.views import View

from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import BaseListingView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

import django_filters

from catalog.models import CoursePage
from catalog.selectors import editable_courses

from . import services
from .models import Enrollment
from .selectors import course_roster, pending_requests

Status = Enrollment.Status

#: Longest rejection reason kept (the service truncates to the same length).
MAX_REASON_LENGTH = 2000


# --- Who may see what ----------------------------------------------------------------


def can_manage_learners(user) -> bool:
    """Whether ``user`` sees the Learners menu: a superuser, or an editor of a course.
    Cached on the user object for the request, as the menu asks on every admin page."""
    cached = getattr(user, "_fledge_can_manage_learners", None)
    if cached is None:
        cached = user.is_authenticated and (user.is_superuser or editable_courses(user).exists())
        user._fledge_can_manage_learners = cached
    return cached


class LearnersAccessMixin:
    """Refuse users who may edit no course; the admin turns PermissionDenied into a
    redirect to the dashboard with a message."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not can_manage_learners(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def learner_name(enrollment: Enrollment) -> str:
    user = enrollment.user
    return user.get_full_name().strip() or user.get_username()


def score_text(value) -> str:
    """A quiz score without trailing zeros: 85.00 → "85", 66.50 → "66.5", None → ""
    (no attempt yet). Databases differ in what ``Max`` of a decimal returns."""
    if value is None:
        return ""
    return format(Decimal(str(value)).normalize(), "f")


# --- Filters -------------------------------------------------------------------------


def _editable_course_choices(request: HttpRequest) -> QuerySet[CoursePage]:
    if request is None:
        return CoursePage.objects.none()
    return editable_courses(request.user).order_by("title")


class CourseFilterSet(WagtailFilterSet):
    """Filter by one of the courses the user may edit; other ids are invalid."""

    course = django_filters.ModelChoiceFilter(
        label="Course",
        queryset=_editable_course_choices,
        empty_label="All courses",
        to_field_name="id",  # range-checked, unlike the page_ptr link: huge ids are invalid
    )

    class Meta:
        model = Enrollment
        fields = ["course"]


class RosterFilterSet(CourseFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label="Status", choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Enrollment
        fields = ["course", "status"]


# --- Enrolment requests --------------------------------------------------------------


class RequestActionsColumn(Column):
    """Approve and Reject (with a required reason) forms for one pending request."""

    cell_template_name = "learner/admin/request_actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        # Table cells render outside the request context: hand over the CSRF token.
        context["csrf_token"] = get_token(request) if request else ""
        context["approve_url"] = reverse("learner_requests:approve", args=[instance.pk])
        context["reject_url"] = reverse("learner_requests:reject", args=[instance.pk])
        context["next_url"] = getattr(parent_context["table"], "return_url", "")
        context["learner"] = learner_name(instance)
        return context


class EnrolmentRequestsView(LearnersAccessMixin, BaseListingView):
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
        return pending_requests(editable_courses(self.request.user))

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


class EnrolmentDecisionView(LearnersAccessMixin, View):
    """Base for the POST-only approve and reject endpoints (GET answers 405)."""

    http_method_names = ["post"]

    def get_enrollment(self, pk: int) -> Enrollment:
        # Ids outside the user's courses are 404, the same as ids that do not exist.
        rows = Enrollment.objects.filter(
            course__in=editable_courses(self.request.user)
        ).select_related("user", "course")
        return get_object_or_404(rows, pk=pk)

    def back(self) -> HttpResponse:
        return redirect(
            get_valid_next_url_from_request(self.request) or reverse("learner_requests:index")
        )


class ApproveView(EnrolmentDecisionView):
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


class RejectView(EnrolmentDecisionView):
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
        listing = EnrolmentRequestsView()
        listing.setup(self.request)
        listing.reject_error = (enrollment.pk, form.data.get("reason", ""), error)
        response = listing.get(self.request)
        response.status_code = 400
        return response


class EnrolmentRequestsMenuItem(MenuItem):
    """Shown to course editors; its label counts the requests waiting for them."""

    def is_shown(self, request: HttpRequest) -> bool:
        return can_manage_learners(request.user)

    def render_component(self, request: HttpRequest):
        component = super().render_component(request)
        waiting = pending_requests(editable_courses(request.user)).count()
        if waiting:
            component.label = f"{self.label} ({waiting})"
        return component


class EnrolmentRequestViewSet(ViewSet):
    name = "learner_requests"
    url_prefix = "learners/requests"
    icon = "user"
    menu_label = "Enrolment requests"
    menu_item_class = EnrolmentRequestsMenuItem

    def get_urlpatterns(self):
        return [
            path("", EnrolmentRequestsView.as_view(), name="index"),
            path(
                "results/", EnrolmentRequestsView.as_view(results_only=True), name="index_results"
            ),
            path("<int:pk>/approve/", ApproveView.as_view(), name="approve"),
            path("<int:pk>/reject/", RejectView.as_view(), name="reject"),
        ]


# --- Course progress (roster) ---------------------------------------------------------


def _local_datetime_text(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _local_naive_datetime(value):
    return timezone.make_naive(value) if value else None


class CourseProgressView(LearnersAccessMixin, ReportView):
    """Every enrolment in the courses the user may edit, with progress and best quiz
    score, in a fixed number of queries however many rows there are."""

    page_title = "Course progress"
    header_icon = "tasks"
    index_url_name = "learner_progress:index"
    index_results_url_name = "learner_progress:index_results"
    filterset_class = RosterFilterSet
    verbose_name = "enrolment"
    verbose_name_plural = "enrolments"
    export_filename = "course-progress"
    columns = [
        Column("learner", label="Learner", accessor=learner_name, sort_key="user__last_name"),
        Column("email", label="Email", accessor="user.email"),
        TitleColumn(
            "course",
            label="Course",
            accessor="course.title",
            url_name="wagtailadmin_pages:edit",
            id_accessor="course_id",
            sort_key="course__title",
        ),
        StatusTagColumn(
            "status",
            label="Status",
            accessor="get_status_display",
            primary=lambda e: e.status in (Status.ACTIVE, Status.COMPLETED),
            sort_key="status",
        ),
        Column(
            "progress_percent",
            label="Progress",
            accessor=lambda e: f"{e.progress_percent}%",
            sort_key="progress_percent",
        ),
        Column("lessons_completed", label="Lessons completed", sort_key="lessons_completed"),
        DateColumn("last_activity_at", label="Last activity", sort_key="last_activity_at"),
        Column(
            "best_score",
            label="Best quiz score",
            accessor=lambda e: f"{score_text(e.best_score)}%" if e.best_score is not None else "",
            sort_key="best_score",
        ),
    ]
    list_export = [
        "user.get_full_name",
        "user.username",
        "user.email",
        "course.title",
        "get_status_display",
        "progress_percent",
        "lessons_completed",
        "last_activity_at",
        "best_score",
    ]
    export_headings = {
        "user.get_full_name": "Learner",
        "user.username": "Username",
        "user.email": "Email",
        "course.title": "Course",
        "get_status_display": "Status",
        "progress_percent": "Progress (%)",
        "lessons_completed": "Lessons completed",
        "last_activity_at": "Last activity",
        "best_score": "Best quiz score (%)",
    }
    custom_field_preprocess = {
        "last_activity_at": {
            ReportView.FORMAT_CSV: _local_datetime_text,
            ReportView.FORMAT_XLSX: _local_naive_datetime,
        },
        "best_score": {
            ReportView.FORMAT_CSV: score_text,
            ReportView.FORMAT_XLSX: lambda value: None if value is None else float(value),
        },
    }

    def get_base_queryset(self):
        return course_roster(editable_courses(self.request.user))


class CourseProgressMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return can_manage_learners(request.user)


class CourseProgressViewSet(ViewSet):
    name = "learner_progress"
    url_prefix = "learners/progress"
    icon = "tasks"
    menu_label = "Course progress"
    menu_item_class = CourseProgressMenuItem

    def get_urlpatterns(self):
        return [
            path("", CourseProgressView.as_view(), name="index"),
            path("results/", CourseProgressView.as_view(results_only=True), name="index_results"),
        ]


class LearnersViewSetGroup(ViewSetGroup):
    """The "Learners" menu; shown when at least one of its items is."""

    menu_label = "Learners"
    menu_icon = "group"
    menu_order = 150  # after Pages (100), before Images (300)
    items = (EnrolmentRequestViewSet, CourseProgressViewSet)
