"""PostgreSQL down: every page is a quick 503 with Retry-After, never a 500, and the
first request after the database is back is served normally, without a restart.

The site's database connection is pointed at a proxy in front of the test database
(the test runs outside a transaction, so closing and reopening the connection is
allowed); switching the proxy off resets the open connection and refuses new ones.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

from django.db import connection
from django.test import Client

import pytest

from tests.faults.proxy import TcpProxy
from tests.learner.factories import EnrollmentFactory, small_course

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def database(pg_proxy) -> Iterator[TcpProxy]:
    """The default connection goes through ``pg_proxy`` (which it yields)."""
    settings = connection.settings_dict
    saved = settings["HOST"], settings["PORT"]
    connection.close()
    settings["HOST"], settings["PORT"] = "127.0.0.1", pg_proxy.port
    try:
        yield pg_proxy
    finally:
        connection.close()
        settings["HOST"], settings["PORT"] = saved


@pytest.fixture
def course(catalog):
    return small_course()


@pytest.fixture
def learner(course) -> Client:
    # Exceptions become responses, as for a real browser: a 500 would show as a 500.
    client = Client(raise_request_exception=False)
    client.force_login(EnrollmentFactory(course=course.course).user)
    return client


def timed(call, *args, **kwargs):
    started = time.perf_counter()
    response = call(*args, **kwargs)
    return response, time.perf_counter() - started


def test_pages_are_a_quick_503_and_recover_on_the_next_request(database, learner, course):
    paths = ["/dashboard/", course.course.url, course.reading.url, "/certificates/"]
    for path in paths:
        assert learner.get(path).status_code == 200, path

    with database.outage():
        for path in paths:
            response, seconds = timed(learner.get, path)
            assert response.status_code == 503, (path, response.status_code)
            assert seconds < 1.0, (path, seconds)
            assert int(response["Retry-After"]) > 0
            assert response["Content-Type"].startswith("text/html")
            assert b"Back in a moment" in response.content
        posted, seconds = timed(learner.post, f"/learn/lessons/{course.reading.pk}/complete/")
        assert posted.status_code == 503
        assert seconds < 1.0
        visitor = Client(raise_request_exception=False)
        for path in ["/", course.course.url, "/accounts/login/"]:
            # A copy in the page cache may still be served; anything else is the 503.
            response, seconds = timed(visitor.get, path)
            assert response.status_code in {200, 503}, (path, response.status_code)
            assert seconds < 1.0

    for path in paths:
        assert learner.get(path).status_code == 200, path


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/dashboard/", {"HTTP_ACCEPT": "application/json"}),
        ("/api/v1/courses/", {}),
    ],
)
def test_api_callers_get_problem_json(database, learner, path, headers):
    with database.outage():
        response, seconds = timed(learner.get, path, **headers)
    assert response.status_code == 503
    assert seconds < 1.0
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"]
    problem = json.loads(response.content)
    assert problem["status"] == 503
    assert problem["title"]


def test_health_names_the_database_within_a_second(database, client):
    with database.outage():
        response, seconds = timed(client.get, "/health/")
    checks = json.loads(response.content)["checks"]
    assert seconds < 1.0
    assert response.status_code == 503
    assert checks["database"]["ok"] is False
    assert checks["cache"]["ok"] is True
    assert client.get("/health/").status_code == 200
