"""URLs of the learning resources (included by :mod:`api.urls`)."""

from django.urls import path

from .learning_attempts import AttemptDetailView, AttemptListView
from .learning_courses import CourseDetailView, CourseListView
from .learning_enrolments import (
    EnrollmentDetailView,
    EnrollmentListView,
    EnrollmentProgressView,
    EnrollmentWithdrawView,
)

urlpatterns = [
    path("courses/", CourseListView.as_view(), name="courses"),
    path("courses/<int:course_id>/", CourseDetailView.as_view(), name="course"),
    path("enrolments/", EnrollmentListView.as_view(), name="enrolments"),
    path("enrolments/<int:enrollment_id>/", EnrollmentDetailView.as_view(), name="enrolment"),
    path(
        "enrolments/<int:enrollment_id>/withdraw/",
        EnrollmentWithdrawView.as_view(),
        name="enrolment-withdraw",
    ),
    path(
        "enrolments/<int:enrollment_id>/progress/",
        EnrollmentProgressView.as_view(),
        name="enrolment-progress",
    ),
    path("attempts/", AttemptListView.as_view(), name="attempts"),
    path("attempts/<int:attempt_id>/", AttemptDetailView.as_view(), name="attempt"),
]
