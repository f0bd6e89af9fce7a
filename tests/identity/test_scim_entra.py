"""The request sequence Microsoft Entra ID sends when it provisions an application
(bodies as its provisioning service writes them: capitalised ``op``, booleans as
strings, path-less values), and the users, groups and required training it produces."""

import pytest

from compliance.models import Assignment
from tests.compliance.factories import requirement
from tests.identity.scim_api import (
    ENTERPRISE,
    GROUP,
    USER,
    scim_fixture,  # noqa: F401 - fixture
    scim_token_fixture,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db

ADA = {
    "schemas": [USER, ENTERPRISE],
    "externalId": "0f1c2d3e-aad0-4b1e-9d4c-5a6b7c8d9e0f",
    "userName": "ada@contoso.example",
    "active": True,
    "displayName": "Ada Lovelace",
    "emails": [{"primary": True, "type": "work", "value": "ada@contoso.example"}],
    "meta": {"resourceType": "User"},
    "name": {"formatted": "Ada Lovelace", "familyName": "Lovelace", "givenName": "Ada"},
    "roles": [],
    "title": "Analyst",
    ENTERPRISE: {"department": "Nursing", "employeeNumber": "1815"},
}


def test_entra_provisioning_cycle(scim, catalog, django_capture_on_commit_callbacks):
    # Test connection, then the match query before the create.
    lookup = scim.get("Users", filter='userName eq "ada@contoso.example"')
    assert lookup.status_code == 200 and lookup.json()["totalResults"] == 0
    created = scim.post("Users", ADA)
    assert created.status_code == 201
    ada = created.json()["id"]
    found = scim.get("Users", filter='userName eq "ada@contoso.example"').json()
    assert [r["id"] for r in found["Resources"]] == [ada]

    # The group, looked up without members, then created empty.
    groups = scim.get("Groups", excludedAttributes="members", filter='displayName eq "Nurses"')
    assert groups.json()["totalResults"] == 0
    group = scim.post(
        "Groups",
        {
            "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
            "displayName": "Nurses",
            "meta": {"resourceType": "Group"},
            "schemas": [GROUP],
            "members": [],
        },
    ).json()["id"]

    # A compliance admin makes the group an audience of required training.
    infection_control = requirement(name="Infection control")
    infection_control.audience_groups.add(group)

    # Membership: the requirement follows.
    with django_capture_on_commit_callbacks(execute=True):
        response = scim.patch(
            f"Groups/{group}",
            {"op": "Add", "path": "members", "value": [{"value": ada}]},
        )
    assert response.status_code == 204
    row = Assignment.objects.get(user_id=ada, requirement=infection_control)
    assert row.is_open

    # An attribute change, Entra style.
    response = scim.patch(
        f"Users/{ada}",
        {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Midwifery"},
        {"op": "Add", "path": "title", "value": "Senior analyst"},
    )
    assert response.json()[ENTERPRISE]["department"] == "Midwifery"

    # Disabled in the directory: "False" as a string.
    with django_capture_on_commit_callbacks(execute=True):
        response = scim.patch(f"Users/{ada}", {"op": "Replace", "path": "active", "value": "False"})
    assert response.status_code == 200 and response.json()["active"] is False
    row.refresh_from_db()
    assert row.closed_on is not None

    # Enabled again: the same cycle is open again.
    with django_capture_on_commit_callbacks(execute=True):
        response = scim.patch(f"Users/{ada}", {"op": "Replace", "path": "active", "value": "True"})
    assert response.json()["active"] is True
    row.refresh_from_db()
    assert row.is_open
    assert Assignment.objects.filter(user_id=ada).count() == 1

    # Removed from the group: no longer required.
    with django_capture_on_commit_callbacks(execute=True):
        scim.patch(
            f"Groups/{group}", {"op": "Remove", "path": "members", "value": [{"value": ada}]}
        )
    row.refresh_from_db()
    assert row.closed_on is not None

    # Unassigned from the application (soft delete), then deleted.
    scim.patch(f"Users/{ada}", {"op": "Replace", "path": "active", "value": False})
    assert scim.delete(f"Users/{ada}").status_code == 204
    assert scim.get(f"Users/{ada}").status_code == 404
    assert Assignment.objects.filter(user_id=ada).count() == 1  # history stays
