"""Bearer-token authentication for SCIM: ``Authorization: Bearer fscim_…`` with a token
from Settings → Provisioning tokens. A request without one, with a wrong or revoked
one, is answered 401 with ``WWW-Authenticate: Bearer`` (:mod:`.views`)."""

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission

from accounts.models import ProvisioningToken
from accounts.services import provisioning_token_authenticate

REALM = "scim"


class ProvisioningClient:
    """Who a SCIM request comes from: a directory holding a token, not a person. It
    has no permissions and no id, so nothing that reads ``request.user`` mistakes it
    for someone (the token's creator included)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, token: ProvisioningToken) -> None:
        self.token = token

    def __str__(self) -> str:
        return f"SCIM client {self.token.prefix}…"

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return False

    def has_perms(self, perm_list, obj: object = None) -> bool:
        return False

    def has_module_perms(self, app_label: str) -> bool:
        return False

    def get_all_permissions(self, obj: object = None) -> set[str]:
        return set()


class ProvisioningTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Send one token: 'Authorization: Bearer <token>'.")
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("The token is not valid.") from None
        token = provisioning_token_authenticate(secret=secret)
        if token is None:
            raise AuthenticationFailed("The token is not valid, or it was revoked.")
        return ProvisioningClient(token), token

    def authenticate_header(self, request) -> str:
        return f'Bearer realm="{REALM}"'


class IsProvisioningClient(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, ProvisioningClient)
