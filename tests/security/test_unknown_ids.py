"""Unknown ids are answered like other people's: a 4xx, never a 500 (DESIGN.md,
"Errors and bad input"), including ids past the database's integer range."""

import re

import pytest

from .conftest import LEARNER, SUPERUSER
from .inventory import project_routes, sample_path

pytestmark = pytest.mark.django_db

#: Past every integer column's range: SQLite raises OverflowError on such a value
#: unless Django's range check (or the view) turns it away first.
OUT_OF_RANGE = 10**20
UNKNOWN = 987654


#: A path parameter (``<int:pk>``, ``<token>``), not a regex group (``(?P<name>``).
PARAMETER = re.compile(r"(?<!\?P)<(\w+:)?\w+>")


def routes_with_ids() -> list:
    return [
        route
        for key, route in sorted(project_routes().items())
        if PARAMETER.search(route.route) or key == "wagtaildocs_serve"
    ]


@pytest.mark.parametrize("role", [LEARNER, SUPERUSER])
@pytest.mark.parametrize("value", [UNKNOWN, OUT_OF_RANGE], ids=["unknown", "out-of-range"])
def test_unknown_ids_are_never_a_server_error(world, role, value):
    client = world.client(role, raise_request_exception=False)
    failures = []
    for route in routes_with_ids():
        path = sample_path(route, value)
        for method in (client.get, client.post):
            response = method(path)
            if response.status_code >= 500:
                failures.append(f"{method.__name__.upper()} {path}: {response.status_code}")
    assert not failures, "\n".join(failures)


#: Admin screens that take a course id in the query string or a form.
COURSE_FILTERS = [
    ("get", "/admin/learners/progress/?course={}"),
    ("get", "/admin/learners/requests/?course={}"),
    ("get", "/admin/certificates/?course={}"),
    ("get", "/admin/certificates/rerender/?course={}"),
    ("post", "/admin/compliance/requirements/preview/"),
]


@pytest.mark.parametrize("value", [UNKNOWN, OUT_OF_RANGE, "1e20", "x"])
@pytest.mark.parametrize(("method", "url"), COURSE_FILTERS)
def test_course_filters_turn_away_bad_ids(world, method, url, value):
    client = world.client(SUPERUSER, raise_request_exception=False)
    if method == "get":
        response = client.get(url.format(value))
    else:
        response = client.post(url, {"course": value})
    assert response.status_code in (200, 400), (url, value, response.status_code)
