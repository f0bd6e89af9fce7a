"""The request sequence Okta sends (profile updates by PUT, deactivation by a path-less
PATCH, Group Push with ``members[value eq "…"]`` removals), and what it produces."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import pytest

from compliance.models import Assignment
from tests.compliance.factories import requirement
from tests.identity.scim_api import (
    GROUP,
    USER,
    scim_fixture,  # noqa: F401 - fixture
    scim_token_fixture,  # noqa: F401 - fixture
)

User = get_user_model()
pytestmark = pytest.mark.django_db


def okta_user(**changes) -> dict:
    body = {
        "schemas": [USER],
        "userName": "bob@okta.example",
        "name": {"givenName": "Bob", "familyName": "Builder"},
        "emails": [{"primary": True, "value": "bob@okta.example", "type": "work"}],
        "displayName": "Bob Builder",
        "locale": "en-US",
        "externalId": "00u1ab2cd3EF4gh5i6j7",
        "groups": [],
        "password": "ignored-Passw0rd",
        "active": True,
    }
    body.update(changes)
    return body


def test_okta_provisioning_cycle(scim, catalog, django_capture_on_commit_callbacks):
    lookup = scim.get("Users", filter='userName eq "bob@okta.example"', startIndex=1, count=100)
    assert lookup.json()["Resources"] == []
    created = scim.post("Users", okta_user())
    assert created.status_code == 201
    bob = created.json()["id"]
    user = User.objects.get(pk=bob)
    assert not user.has_usable_password()  # the pushed password is never stored

    # A profile change arrives as a full PUT.
    updated = scim.put(
        f"Users/{bob}", okta_user(name={"givenName": "Robert", "familyName": "Builder"})
    )
    assert updated.status_code == 200
    assert updated.json()["name"]["givenName"] == "Robert"

    # Group Push: look up, create, add the member.
    assert scim.get("Groups", filter='displayName eq "Site crew"').json()["totalResults"] == 0
    crew = scim.post("Groups", {"schemas": [GROUP], "displayName": "Site crew", "members": []})
    crew_id = crew.json()["id"]
    working_at_height = requirement(name="Working at height")
    working_at_height.audience_groups.add(crew_id)
    with django_capture_on_commit_callbacks(execute=True):
        response = scim.patch(
            f"Groups/{crew_id}",
            {
                "op": "add",
                "path": "members",
                "value": [{"value": bob, "display": "bob@okta.example"}],
            },
        )
    assert response.status_code == 204
    assert Assignment.objects.get(user_id=bob, requirement=working_at_height).is_open

    # Rename by a path-less replace.
    scim.patch(
        f"Groups/{crew_id}", {"op": "replace", "value": {"id": crew_id, "displayName": "Crew"}}
    )
    assert Group.objects.get(pk=crew_id).name == "Crew"

    # Deactivation: a path-less replace of active.
    with django_capture_on_commit_callbacks(execute=True):
        response = scim.patch(f"Users/{bob}", {"op": "replace", "value": {"active": False}})
    assert response.json()["active"] is False
    assert not Assignment.objects.get(user_id=bob).is_open

    # Reactivation restores the open cycle.
    with django_capture_on_commit_callbacks(execute=True):
        scim.patch(f"Users/{bob}", {"op": "replace", "value": {"active": True}})
    assert Assignment.objects.get(user_id=bob).is_open

    # Unassigned from the pushed group: removed by filter, so no longer required.
    with django_capture_on_commit_callbacks(execute=True):
        response = scim.patch(
            f"Groups/{crew_id}", {"op": "remove", "path": f'members[value eq "{bob}"]'}
        )
    assert response.status_code == 204
    assert not Group.objects.get(pk=crew_id).user_set.exists()
    assert not Assignment.objects.get(user_id=bob).is_open

    # Okta deletes the pushed group when it is unlinked with "delete the group".
    assert scim.delete(f"Groups/{crew_id}").status_code == 204
    assert not Group.objects.filter(pk=crew_id).exists()
