"""The person's API tokens, at ``/accounts/tokens/`` (config.urls)."""

from django.urls import path

from . import account_views

urlpatterns = [
    path("", account_views.access_tokens, name="api_tokens"),
    path("<int:pk>/revoke/", account_views.access_token_revoke_view, name="api_token_revoke"),
]
