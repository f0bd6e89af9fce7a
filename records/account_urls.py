"""The signed-in person's own data download, at ``/accounts/my-data/`` (config.urls)."""

from django.urls import path

from . import views

urlpatterns = [path("", views.my_data, name="my_data")]
