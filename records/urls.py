"""Personal records in Wagtail's admin (``/admin/records/``, :mod:`records.wagtail_hooks`)."""

from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("", views.people, name="people"),
    path("<int:user_id>/", views.person, name="person"),
    path(
        "<int:user_id>/evidence.pdf",
        views.evidence_pack,
        {"file_format": "pdf"},
        name="evidence_pdf",
    ),
    path(
        "<int:user_id>/evidence.json",
        views.evidence_pack,
        {"file_format": "json"},
        name="evidence_json",
    ),
    path("<int:user_id>/data.zip", views.personal_data, name="data"),
    path("<int:user_id>/erase/", views.erase, name="erase"),
]
