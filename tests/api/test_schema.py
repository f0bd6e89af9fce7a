"""The OpenAPI document validates and lists every URL under /api/v1/."""

import re

from django.urls import URLResolver, get_resolver

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

UNDOCUMENTED = {"schema/", "docs/"}  # the document itself and its viewer


def _routes(patterns, prefix: str = "") -> set[str]:
    routes = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            routes |= _routes(entry.url_patterns, prefix + str(entry.pattern))
        else:
            routes.add(prefix + str(entry.pattern))
    return routes


def api_routes() -> set[str]:
    """Every route under /api/v1/, with converters written as OpenAPI parameters."""
    resolver = next(
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and str(entry.pattern) == "api/v1/"
    )
    routes = _routes(resolver.url_patterns) - UNDOCUMENTED
    return {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route) for route in routes}


@pytest.mark.django_db
class TestSchema:
    def test_schema_is_valid_and_complete(self):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        validate_schema(schema)
        documented = {path.removeprefix("/api/v1/") for path in schema["paths"]}
        assert api_routes() <= documented
        assert all(path.startswith("/api/v1/") for path in schema["paths"])
        for operations in schema["paths"].values():
            for operation in operations.values():
                assert operation.get("description")
                assert any(code.startswith("4") for code in operation["responses"])

    def test_schema_and_docs_are_served(self, client):
        assert client.get("/api/v1/schema/").status_code == 200
        docs = client.get("/api/v1/docs/")
        assert docs.status_code == 200
        assert b"swagger-ui" in docs.content and b"cdn" not in docs.content.lower()
