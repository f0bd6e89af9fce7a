"""The person's own API tokens, at ``/accounts/tokens/`` (config.urls): list, create
(the token is shown once, in the answer to the POST), revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from base.errors import FledgeError

from .forms import AccessTokenForm
from .models import AccessToken
from .services import access_token_create, access_token_revoke


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def access_tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in person's tokens and a form for a new one."""
    form = AccessTokenForm(request.POST or None)
    secret = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _, secret = access_token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    expires_at=form.cleaned_data["expires_at"],
                    form_key=form.cleaned_data["form_key"],
                )
                form = AccessTokenForm()
            except FledgeError as error:
                status = error.status
                if status == 409:  # a second submit of one form: start a fresh one
                    messages.warning(request, error.message)
                    form = AccessTokenForm()
                else:
                    form.add_error(None, error.message)
        else:
            status = 400
    tokens = AccessToken.objects.filter(user=request.user)
    context = {"form": form, "tokens": tokens, "secret": secret}
    return render(request, "api/access_tokens.html", context, status=status)


@login_required
@require_POST
def access_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the person's own tokens; another person's is a 404."""
    token = get_object_or_404(AccessToken, pk=pk, user=request.user)
    if access_token_revoke(token=token, actor=request.user):
        messages.success(request, f"Token “{token.name}” revoked.")
    return redirect("api_tokens")
