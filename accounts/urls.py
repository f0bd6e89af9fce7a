"""Account URLs: Django's sign-in, sign-out and password views, plus self sign-up."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("", include("django.contrib.auth.urls")),
]
