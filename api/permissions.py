"""Scopes: a token acts only within the scopes it was given; a session (the site's own
pages calling the API) carries every scope of its user."""

from rest_framework.permissions import BasePermission

from .models import AccessToken


class HasScope(BasePermission):
    """Needs the view's ``required_scope`` on the token (403 otherwise)."""

    message = "This token does not have the scope this endpoint needs."

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        scope = getattr(view, "required_scope", None)
        if scope is None or not isinstance(request.auth, AccessToken):
            return True
        return scope in request.auth.scopes
