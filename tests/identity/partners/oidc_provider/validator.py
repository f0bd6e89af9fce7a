"""What the test OpenID provider says about each person.

Every claim of a person comes from the configuration the test handed the provider
(``people[username]["claims"]``): email, email_verified, names, and the directory
attributes Fledge maps to groups (groups, department, roles, employee_type) and the
MFA assertion (amr, acr). All of them go into the ID token and the userinfo answer,
whatever the scope, as a directory-backed provider would send them.

``people[username]["id_token"]`` makes the provider misbehave for that person, so a
test can check that Fledge refuses it: ``{"aud": "someone-else"}`` signs a token for
another client, ``{"expires_in": -600}`` one that expired ten minutes ago.
"""

import json
import time

from django.conf import settings

from oauth2_provider.oauth2_validators import OAuth2Validator


def person(username: str) -> dict:
    """The person as the configuration says now: it is read at every request, so a test
    can change someone's directory attributes between two sign-ins."""
    return json.loads(settings.CONFIG_PATH.read_text())["people"].get(username, {})


class PartnerValidator(OAuth2Validator):
    #: Every claim, whatever the scopes (``None``: no claim is filtered by scope).
    oidc_claim_scope = None

    def get_additional_claims(self, request) -> dict:
        user = request.user
        claims = {"preferred_username": user.get_username()}
        claims.update(person(user.get_username()).get("claims", {}))
        return claims

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        tweaks = person(request.user.get_username()).get("id_token", {})
        if "aud" in tweaks:
            claims["aud"] = tweaks["aud"]
        if "expires_in" in tweaks:
            claims["exp"] = int(time.time()) + int(tweaks["expires_in"])
        return claims, expiration_time
