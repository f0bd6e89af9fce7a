"""The admin's pages for tokens of any account (service accounts above all), at
``/admin/api-tokens/`` under *Settings → API tokens*: the list with who owns each, its
scopes and when it was last used; a form that creates a token for a named account
(shown once, in the answer to the POST); revoke. Each shown only to whom
:func:`api.permissions.may_manage_tokens` allows.

These are plain views rather than a Wagtail ``ModelViewSet``: a viewset's create view
redirects after saving, and the token must be shown in the answer itself, never carried
through the session or a message cookie.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .account_views import token_form_answer
from .forms import ServiceTokenForm
from .models import AccessToken
from .permissions import may_manage_tokens
from .services import access_token_revoke

#: Tokens listed on one page at most (newest first); a search narrows the list.
LIST_LIMIT = 200


def _require(request: HttpRequest) -> None:
    if not may_manage_tokens(request.user):
        raise PermissionDenied("You may not manage other people's API tokens.")


@never_cache
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> TemplateResponse:
    """Every account's tokens, a search by owner, and the form for a new one."""
    _require(request)
    form, created, secret, status = token_form_answer(request, ServiceTokenForm, actor=request.user)
    query = request.GET.get("q", "").strip()
    rows = AccessToken.objects.select_related("user").order_by("-created_at", "-pk")
    if query:
        rows = rows.filter(
            Q(user__username__icontains=query)
            | Q(user__email__icontains=query)
            | Q(name__icontains=query)
        )
    context = {
        "form": form,
        "tokens": rows[:LIST_LIMIT],
        "limit": LIST_LIMIT,
        "query": query,
        "secret": secret,
        "created": created,
        "header_title": "API tokens",
        "page_title": "API tokens",
    }
    return TemplateResponse(request, "api/admin/tokens.html", context, status=status)


def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke any account's token: it stops working at once. POST only."""
    _require(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    token = get_object_or_404(AccessToken, pk=pk)
    if access_token_revoke(token=token, actor=request.user):
        messages.success(request, f"Token “{token.name}” of {token.user.get_username()} revoked.")
    return redirect("api_admin:tokens")


urlpatterns = [
    path("", tokens, name="tokens"),
    path("<int:pk>/revoke/", revoke, name="revoke"),
]


@hooks.register("register_admin_urls")
def admin_urls():
    return [path("api-tokens/", include((urlpatterns, "api_admin"), namespace="api_admin"))]


class TokensMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return may_manage_tokens(request.user)


@hooks.register("register_settings_menu_item")
def tokens_menu_item():
    return TokensMenuItem("API tokens", reverse("api_admin:tokens"), icon_name="key", order=620)
