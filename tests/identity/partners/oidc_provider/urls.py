"""The test OpenID provider's URLs: its sign-in page and django-oauth-toolkit's
endpoints under ``/o/`` (the issuer is ``http://127.0.0.1:<port>/o``)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="partner/login.html"), name="login"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
