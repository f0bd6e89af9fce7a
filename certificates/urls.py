"""Certificate URLs, under ``/certificates/``: the holder's list and downloads, and the
public verification pages."""

from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.my_certificates, name="list"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("<str:reference>/download/", views.download, name="download"),
]
