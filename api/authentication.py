"""``Authorization: Bearer <token>`` and same-origin session authentication."""

from rest_framework import authentication, exceptions

from .services import access_token_authenticate


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A personal access token. A bearer header with an unknown, revoked or expired
    token is refused (401) rather than treated as anonymous."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode(errors="replace")
        parts = header.split()
        if not parts or parts[0].lower() != self.keyword.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send one token: Authorization: Bearer <token>.")
        token = access_token_authenticate(secret=parts[1])
        if token is None:
            raise exceptions.AuthenticationFailed("The token is unknown, revoked or expired.")
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'
