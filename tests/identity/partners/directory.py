"""The people of the test directory, as the test OpenID provider and the test SAML
identity provider describe them, and the group map the tests configure Fledge with."""

import copy

PASSWORD = "partner-pw-1"

#: username → what the OpenID provider knows (``oidc_provider.validator``).
PEOPLE: dict[str, dict] = {
    # In the security team's directory group, in Finance; signed in with MFA.
    "ada": {
        "email": "ada@example.org",
        "claims": {
            "email": "ada@example.org",
            "email_verified": True,
            "given_name": "Ada",
            "family_name": "Lovelace",
            "groups": ["staff-security", "all-staff"],
            "department": "Finance",
            "employee_type": "Employee",
            "amr": ["pwd", "mfa"],
        },
    },
    # All staff only, Engineering; a password alone.
    "grace": {
        "email": "grace@example.org",
        "claims": {
            "email": "grace@example.org",
            "email_verified": True,
            "given_name": "Grace",
            "family_name": "Hopper",
            "groups": ["all-staff"],
            "department": "Engineering",
            "amr": ["pwd"],
        },
    },
    # A provider that does not vouch for the address (as text, like some do).
    "eve": {
        "email": "eve@example.org",
        "claims": {"email": "eve@example.org", "email_verified": "false", "groups": []},
    },
    # The provider signs Mallory's ID tokens for another client...
    "mallory-aud": {
        "email": "mallory@example.org",
        "claims": {"email": "mallory@example.org", "email_verified": True},
        "id_token": {"aud": "someone-else"},
    },
    # ...or already expired.
    "mallory-exp": {
        "email": "mallory2@example.org",
        "claims": {"email": "mallory2@example.org", "email_verified": True},
        "id_token": {"expires_in": -600},
    },
}

#: Fledge's FLEDGE_SSO_GROUP_MAP in the tests.
GROUP_MAP = {
    "groups:staff-security": "Security awareness",
    "department:Finance": "Finance",
    "employee_type:Contractor": "Contractors",
}


def people() -> dict[str, dict]:
    """A fresh copy with everyone's password, for a provider to own and change."""
    return {
        name: {**copy.deepcopy(person), "password": PASSWORD} for name, person in PEOPLE.items()
    }
