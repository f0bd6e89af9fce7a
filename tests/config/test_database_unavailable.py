"""A database error becomes the static 503 with Retry-After, wherever it is raised:
in a view (the middleware) or in a middleware before the view (the 500 handler).

The real outage, through a proxy in front of PostgreSQL, is in tests/faults."""

import json

from django.db import OperationalError, connection
from django.test import Client

import pytest

from learner.models import Enrollment
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db


def refuse(*args, **kwargs):
    raise OperationalError("connection refused")


@pytest.fixture
def browser() -> Client:
    return Client(raise_request_exception=False)


@pytest.fixture
def in_a_view():
    """Every statement on the enrolments fails as with the server gone (at the
    cursor: some are compiled once and run again, see ``base.prepared``)."""

    def fail(execute, sql, params, many, context):
        if Enrollment._meta.db_table in sql:
            refuse()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield


@pytest.fixture
def before_the_view(monkeypatch):
    """Page routing (a middleware's process_view) fails as with the server gone."""
    monkeypatch.setattr("base.routing._page_for", refuse)


class TestDatabaseUnavailable:
    def test_a_view_answers_the_static_503(self, browser, settings, in_a_view, caplog):
        settings.FLEDGE_RETRY_AFTER_SECONDS = 45
        browser.force_login(UserFactory())
        response = browser.get("/dashboard/")
        assert response.status_code == 503
        # One warning line, not the 500 handler's traceback per request.
        assert not [r for r in caplog.records if r.exc_info]
        assert [r.name for r in caplog.records if r.levelname == "WARNING"] == ["config.errors"]
        assert response["Retry-After"] == "45"
        assert response["Cache-Control"] == "no-store"
        assert b"Back in a moment" in response.content

    def test_a_middleware_answers_the_static_503_too(self, browser, catalog, before_the_view):
        response = browser.get(catalog.url)
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert b"Back in a moment" in response.content

    @pytest.mark.parametrize(
        ("path", "accept"),
        [("/courses/", "application/json"), ("/api/v1/anything/", "text/html")],
    )
    def test_api_callers_get_problem_json(self, browser, catalog, before_the_view, path, accept):
        response = browser.get(path, HTTP_ACCEPT=accept)
        assert response.status_code == 503
        assert response["Content-Type"] == "application/problem+json"
        problem = json.loads(response.content)
        assert (problem["status"], problem["title"]) == (503, "Service temporarily unavailable")

    def test_a_browser_accepting_anything_gets_html(self, browser, catalog, before_the_view):
        response = browser.get(catalog.url, HTTP_ACCEPT="text/html,*/*;q=0.8")
        assert response["Content-Type"].startswith("text/html")

    def test_other_errors_are_still_the_500_page(self, browser, catalog, monkeypatch):
        def broken(*args, **kwargs):
            raise RuntimeError("a bug")

        monkeypatch.setattr("base.routing._page_for", broken)
        response = browser.get(catalog.url)
        assert response.status_code == 500
        assert b"Something went wrong" in response.content
