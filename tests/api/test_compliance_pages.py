"""Cursor pages of the compliance resources: following ``next`` visits every row once,
and a page costs the same number of queries whatever its size (the pages' budgets)."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from compliance.models import Assignment
from tests.compliance.factories import TrainingRequirementFactory, managed_by, today
from tests.learner.factories import UserFactory, member_of

pytestmark = pytest.mark.django_db

#: The most queries one page may take, whatever its size: the token, whether the caller
#: manages anyone, the active requirements, the page, and a grouped count for figures.
PAGE_BUDGET = 5


@pytest.fixture
def compliance_admin(catalog):
    return member_of("Compliance admins", "cora")


def overdue_people(requirement, count: int) -> list:
    people = [UserFactory() for _ in range(count)]
    Assignment.objects.bulk_create(
        Assignment(
            requirement=requirement,
            user=person,
            assigned_on=today() - timedelta(days=40),
            opens_on=today() - timedelta(days=40),
            due_on=today() - timedelta(days=10),
        )
        for person in people
    )
    return people


def queries(api, url: str, params: dict, *, rows: int) -> int:
    """The queries of one page of ``url``, which must list ``rows`` rows."""
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url, params)
    assert response.status_code == 200, response.content
    assert len(response.json()["results"]) == rows
    return len(captured)


class TestCursorPages:
    def test_following_next_visits_every_row_once(self, bearer, compliance_admin, catalog):
        requirement = TrainingRequirementFactory()
        overdue_people(requirement, 23)
        api = bearer(compliance_admin, "compliance:read")
        seen = []
        url, params = "/api/v1/compliance/status/", {"status": "overdue", "page_size": 5}
        pages = 0
        while url:
            body = api.get(url, params).json()
            seen += [row["id"] for row in body["results"]]
            url, params = body["next"], {}
            pages += 1
        assert pages == 5
        assert sorted(seen) == seen
        assert sorted(seen) == sorted(Assignment.objects.values_list("pk", flat=True))

    @pytest.mark.parametrize(
        "url", ["/api/v1/compliance/status/", "/api/v1/assignments/", "/api/v1/requirements/"]
    )
    def test_a_page_costs_the_same_for_1_and_30_rows(self, bearer, compliance_admin, catalog, url):
        api = bearer(compliance_admin, "compliance:read")
        first = TrainingRequirementFactory()
        overdue_people(first, 1)
        api.get(url)  # the token's first use writes last_used_at once
        params = {} if "requirements" in url else {"status": "overdue"}
        one = queries(api, url, params, rows=1)
        if "requirements" in url:
            for _ in range(29):
                overdue_people(TrainingRequirementFactory(course=first.course), 1)
        else:
            overdue_people(first, 29)
        thirty = queries(api, url, params, rows=30)
        assert one == thirty <= PAGE_BUDGET

    def test_a_managers_page_costs_the_same_for_1_and_30_rows(self, bearer, catalog):
        boss = UserFactory(username="mona")
        requirement = TrainingRequirementFactory()
        managed_by(boss, *overdue_people(requirement, 1))
        api = bearer(boss, "compliance:read")
        api.get("/api/v1/compliance/status/")
        one = queries(api, "/api/v1/compliance/status/", {"q": "learner"}, rows=1)
        managed_by(boss, *overdue_people(requirement, 29))
        thirty = queries(api, "/api/v1/compliance/status/", {"q": "learner"}, rows=30)
        assert one == thirty <= PAGE_BUDGET

    def test_a_malformed_cursor_is_a_400(self, bearer, compliance_admin):
        api = bearer(compliance_admin, "compliance:read")
        response = api.get("/api/v1/assignments/", {"cursor": "not-a-cursor"})
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"
        assert "follow the `next` link" in response.json()["detail"]
