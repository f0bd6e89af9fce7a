"""Course progress: the roster of every enrolment, with exports."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views import View

from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.base import ViewSet

from base.admin_access import menu_item_for
from base.admin_exports import ExportButtonsInHeaderMixin
from catalog.selectors import editable_courses

from ..selectors import course_roster, progress_detail
from .common import (
    LearnersAccessMixin,
    RosterFilterSet,
    Status,
    learner_name,
    score_text,
)

# --- Course progress (roster) ---------------------------------------------------------


def _local_datetime_text(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _local_naive_datetime(value):
    return timezone.make_naive(value) if value else None


class CourseProgressView(LearnersAccessMixin, ExportButtonsInHeaderMixin, ReportView):
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
        TitleColumn(
            "learner",
            label="Learner",
            accessor=learner_name,
            url_name="learner_progress:detail",
            sort_key="user__last_name",
        ),
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
        return course_roster(courses=editable_courses(user=self.request.user))


class ProgressDetailView(LearnersAccessMixin, View):
    """One learner's progress in one course: each lesson (views, time spent, when
    completed) and every quiz attempt. Only enrolments in courses the user may edit
    are found; any other id is a 404."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        roster = course_roster(courses=editable_courses(user=request.user))
        enrollment = get_object_or_404(roster.select_related("last_lesson"), pk=pk)
        detail = progress_detail(enrollment=enrollment)
        for attempt in detail.attempts:
            attempt.score_text = score_text(attempt.score)
        name = learner_name(enrollment)
        title = f"{name}: {enrollment.course.title}"
        return TemplateResponse(
            request,
            "learner/admin/progress_detail.html",
            {
                "detail": detail,
                "enrollment": enrollment,
                "learner": name,
                "best_score": score_text(enrollment.best_score),
                "header_title": title,
                "page_title": title,
                "header_icon": "user",
                "breadcrumbs_items": [
                    {"url": reverse("wagtailadmin_home"), "label": "Home"},
                    {"url": reverse("learner_progress:index"), "label": "Course progress"},
                    {"url": "", "label": title},
                ],
            },
        )


class CourseProgressViewSet(ViewSet):
    name = "learner_progress"
    url_prefix = "learners/progress"
    icon = "tasks"
    menu_label = "Course progress"
    menu_item_class = menu_item_for(LearnersAccessMixin)

    def get_urlpatterns(self):
        return [
            path("", CourseProgressView.as_view(), name="index"),
            path("results/", CourseProgressView.as_view(results_only=True), name="index_results"),
            path("<int:pk>/", ProgressDetailView.as_view(), name="detail"),
        ]
