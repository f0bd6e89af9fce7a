"""What a directory reads before it provisions: the service provider's configuration,
the schemas and the resource types; and what it gets for a path that is none of them."""

from django.test import Client

import pytest

from tests.identity.scim_api import (
    BASE,
    ENTERPRISE,
    GROUP,
    USER,
    assert_scim_error,
    scim_fixture,  # noqa: F401 - fixture
    scim_token_fixture,  # noqa: F401 - fixture
)

pytestmark = pytest.mark.django_db


def test_schemas_list_user_enterprise_and_group(scim):
    body = scim.get("Schemas").json()
    assert {s["id"] for s in body["Resources"]} == {USER, ENTERPRISE, GROUP}
    user = scim.get(f"Schemas/{USER}").json()
    names = {a["name"] for a in user["attributes"]}
    assert {"userName", "name", "emails", "active"} <= names
    assert_scim_error(scim.get("Schemas/urn:unknown"), 404)


def test_resource_types_name_the_endpoints(scim):
    body = scim.get("ResourceTypes").json()
    assert {(r["id"], r["endpoint"]) for r in body["Resources"]} == {
        ("User", "/Users"),
        ("Group", "/Groups"),
    }
    user = scim.get("ResourceTypes/User").json()
    assert user["schemaExtensions"] == [{"schema": ENTERPRISE, "required": False}]


def test_trailing_slashes_are_accepted(scim):
    assert scim.get("Users/").status_code == 200
    assert scim.get("ServiceProviderConfig/").status_code == 200


def test_unknown_paths_are_scim_404s(scim):
    assert_scim_error(scim.get("Bulk"), 404)
    assert_scim_error(scim.post("Me", {}), 404)


def test_a_method_the_endpoint_lacks_is_a_scim_405(scim):
    assert_scim_error(scim.delete("Users"), 405)


def test_answers_are_never_served_from_the_page_cache(scim, settings):
    settings.FLEDGE_PAGE_CACHE_SECONDS = 300
    for _ in range(2):
        response = scim.get("ServiceProviderConfig")
        assert "X-Page-Cache" not in response
    assert Client().get(BASE + "ServiceProviderConfig").status_code == 401
