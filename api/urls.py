"""``/api/v1/``: the OpenAPI document, its interactive docs and the resources."""

from django.urls import include, path

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views
from .resources import compliance_urls, learning_urls, people_urls
from .webhooks import urls as webhook_urls

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("me/", views.MeView.as_view(), name="me"),
    path("certificates/", views.CertificateListView.as_view(), name="certificates"),
    path(
        "certificates/verify/<str:code>/",
        views.CertificateVerifyView.as_view(),
        name="certificate-verify",
    ),
    path("", include(learning_urls)),
    path("", include(compliance_urls)),
    path("", include(people_urls)),
    path("", include(webhook_urls)),
]
