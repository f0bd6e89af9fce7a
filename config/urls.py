"""URL configuration: wires each app's URLs by name; Wagtail serves every other path."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.documents import urls as wagtaildocs_urls

from allauth.account.decorators import secure_admin_login

from . import health

#: Malformed requests get the site's 400 page (config.errors).
handler400 = "config.errors.bad_request"
#: A database outage is a 503 with Retry-After, wherever it is noticed (config.errors).
handler500 = "config.errors.server_error"

# Django's admin signs people in on the site's sign-in page (django-allauth), like
# Wagtail's: one form, with its throttling, MFA step and single sign-on.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    # For load balancers: liveness never touches the database; /health/ checks it all.
    path("health/", health.ready, name="health"),
    path("health/live", health.live, name="health-live"),
    path("health/live/", health.live),
    path("django-admin/", admin.site.urls),
    # Wagtail's admin, with its sign-out and id guards (config/admin_urls.py).
    path("admin/", include("config.admin_urls")),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/my-data/", include("records.account_urls")),
    path("accounts/tokens/", include("api.account_urls")),
    path("accounts/", include("accounts.urls")),
    # SCIM 2.0 provisioning for identity providers (bearer token; accounts.scim).
    path("scim/v2/", include("accounts.scim.urls")),
    # The REST API v1: tokens, OpenAPI document and docs, resources (api.urls).
    path("api/v1/", include("api.urls")),
    path("", include("learner.urls")),
    path("compliance/", include("compliance.urls")),
    path("certificates/", include("certificates.urls")),
]

if settings.DEBUG:
    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Everything else is a Wagtail page: home, catalog, courses, modules, lessons.
    path("", include(wagtail_urls)),
]
