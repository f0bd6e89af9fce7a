"""Learner-facing compliance URLs, under ``/compliance/``: the private calendar feed."""

from django.urls import path

from . import views

app_name = "compliance"

urlpatterns = [
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/regenerate/", views.calendar_regenerate, name="calendar_regenerate"),
    # Any text before ".ics" reaches the view, which answers a clear 404 for a
    # malformed or unknown token (rather than falling through to the page tree).
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
]
