"""Learner URLs: enrolment, progress, quizzes and the dashboard."""

from django.urls import path

from . import views

app_name = "learner"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("learn/courses/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("learn/enrolments/<int:enrollment_id>/withdraw/", views.withdraw, name="withdraw"),
    path(
        "learn/enrolments/<int:enrollment_id>/continue/",
        views.continue_course,
        name="continue",
    ),
    path("learn/lessons/<int:lesson_id>/complete/", views.complete_lesson, name="complete"),
    path("learn/lessons/<int:lesson_id>/quiz/", views.submit_quiz, name="submit_quiz"),
    path("learn/lessons/<int:lesson_id>/heartbeat/", views.heartbeat, name="heartbeat"),
    path("learn/attempts/<int:attempt_id>/", views.attempt_detail, name="attempt"),
    path(
        "learn/enrolments/<int:enrollment_id>/complete/",
        views.course_complete,
        name="course_complete",
    ),
]
