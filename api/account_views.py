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


def token_form_answer(request: HttpRequest, form_class, *, owner=None, actor=None):
    """A token form's answer, for the account page and the admin's: ``(form, token,
    secret, status)``. A valid POST makes the token (for ``owner``, else the account the
    form names) and offers a fresh form; a second submit of the same form (409) says so
    and offers a fresh one too; any other refusal stays on the form."""
    form = form_class(request.POST or None)
    if request.method != "POST":
        return form, None, "", 200
    if not form.is_valid():
        return form, None, "", 400
    data = form.cleaned_data
    try:
        token, secret = access_token_create(
            user=owner or data["user"],
            name=data["name"],
            scopes=data["scopes"],
            expires_at=data["expires_at"],
            form_key=data["form_key"],
            actor=actor,
        )
    except FledgeError as error:
        if error.status != 409:
            form.add_error(None, error.message)
            return form, None, "", error.status
        messages.warning(request, error.message)
        return form_class(), None, "", error.status
    return form_class(), token, secret, 200


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def access_tokens(request: HttpRequest) -> HttpResponse:
    """The signed-in person's tokens and a form for a new one."""
    form, _, secret, status = token_form_answer(request, AccessTokenForm, owner=request.user)
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
