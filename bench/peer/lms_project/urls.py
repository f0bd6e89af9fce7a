"""The wagtail-lms project's URLs: the project template's, wagtail-lms's own (as its
README says), and the same trivial view as Fledge's ``bench/urls.py``."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

TRIVIAL_PATH = "/__bench__/trivial/"


def trivial(request: HttpRequest) -> HttpResponse:
    """The floor: a view that only says who is asking (loads the session and the user)."""
    return HttpResponse(str(request.user.pk or "-"), content_type="text/plain")


urlpatterns = [
    path(TRIVIAL_PATH.strip("/") + "/", trivial),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("lms/", include("wagtail_lms.urls")),
    path("", include(wagtail_urls)),
]
