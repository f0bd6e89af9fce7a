"""URLs of the compliance resources (included by :mod:`api.urls`)."""

from django.urls import path

from . import compliance as views

urlpatterns: list = [
    path("requirements/", views.RequirementListView.as_view(), name="requirements"),
    path(
        "requirements/<int:requirement_id>/",
        views.RequirementDetailView.as_view(),
        name="requirement-detail",
    ),
    path("assignments/", views.AssignmentListView.as_view(), name="assignments"),
    path(
        "assignments/<int:assignment_id>/",
        views.AssignmentDetailView.as_view(),
        name="assignment-detail",
    ),
    path(
        "assignments/<int:assignment_id>/exemption/",
        views.ExemptionView.as_view(),
        name="assignment-exemption",
    ),
    path("compliance/status/", views.StatusListView.as_view(), name="compliance-status"),
]
