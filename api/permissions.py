"""Who may use the API and manage its tokens: one rule each.

- Scopes: a token acts only within the scopes it was given; a session (the site's own
  pages calling the API) carries every scope of its user. Beyond its scopes a token has
  exactly its user's permissions, read by each resource through the owning app's rule.
- Tokens of other people (service accounts): ``api.change_accesstoken``, which only
  superusers have in the groups Fledge ships; grant it through a group in *Settings →
  Groups* to delegate.
"""

from rest_framework.permissions import BasePermission

from .models import AccessToken

#: Creating and revoking anyone's tokens in the admin.
MANAGE_TOKENS_PERMISSION = "api.change_accesstoken"


def may_manage_tokens(user) -> bool:
    """Whether ``user`` may list, create and revoke tokens of any account."""
    return bool(
        user.is_authenticated and user.is_active and user.has_perm(MANAGE_TOKENS_PERMISSION)
    )


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
