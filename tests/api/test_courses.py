"""The courses resource: the published catalog and one course with its outline."""

import pytest
from rest_framework.test import APIClient

from tests.catalog.factories import CoursePageFactory, ModulePageFactory, SubjectFactory
from tests.learner.factories import EnrollmentFactory, small_course

COURSES = "/api/v1/courses/"


def titles(response) -> list[str]:
    return [row["title"] for row in response.json()["results"]]


@pytest.mark.django_db
class TestCourseList:
    def test_lists_published_courses_like_the_catalog(self, catalog, client_with_token):
        CoursePageFactory(title="Fire safety")
        CoursePageFactory(title="Secret draft").unpublish()
        response = client_with_token.get(COURSES)
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 1
        assert titles(response) == ["Fire safety"]
        row = body["results"][0]
        assert row["enrollment_policy"] == "open"
        assert row["url"].endswith("/fire-safety/")

    def test_search_and_filters_are_the_catalogs(self, catalog, client_with_token):
        security = SubjectFactory(name="Security")
        CoursePageFactory(title="Phishing defence", summary="Spot fake emails.")
        CoursePageFactory(title="Spreadsheets", summary="Pivots.", difficulty="advanced")
        CoursePageFactory(title="Locks", summary="Doors.", subject=security)
        assert titles(client_with_token.get(COURSES, {"q": "phishing"})) == ["Phishing defence"]
        assert titles(client_with_token.get(COURSES, {"subject": "security"})) == ["Locks"]
        assert titles(client_with_token.get(COURSES, {"difficulty": "advanced"})) == [
            "Spreadsheets"
        ]
        # Unknown filter values are ignored, as on the catalog page.
        assert len(titles(client_with_token.get(COURSES, {"difficulty": "nonsense"}))) == 3

    def test_pages_are_bounded(self, catalog, client_with_token):
        for number in range(5):
            CoursePageFactory(title=f"Course {number}")
        body = client_with_token.get(COURSES, {"page_size": 2, "page": 2}).json()
        assert body["count"] == 5
        assert [row["title"] for row in body["results"]] == ["Course 2", "Course 3"]
        assert "page=3" in body["next"] and "page_size=2" in body["next"]

    def test_anonymous_is_401(self, catalog):
        response = APIClient().get(COURSES)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"

    def test_a_token_without_read_is_403(self, catalog, bearer, learner):
        assert bearer(learner, "learn").get(COURSES).status_code == 403

    @pytest.mark.parametrize("count", [1, 20])
    def test_query_budget_does_not_grow_with_the_list(
        self, catalog, client_with_token, django_assert_max_num_queries, count
    ):
        subject = SubjectFactory(name="Safety")
        for number in range(count):
            CoursePageFactory(title=f"Course {number}", subject=subject)
        with django_assert_max_num_queries(9):
            response = client_with_token.get(COURSES, {"page_size": 50})
        assert response.json()["count"] == count


@pytest.mark.django_db
class TestCourseDetail:
    def test_outline_has_ids_and_titles_only(self, catalog, client_with_token):
        course = small_course(capacity=5)
        response = client_with_token.get(f"{COURSES}{course.course.pk}/")
        assert response.status_code == 200
        body = response.json()
        assert body["seats_left"] == 5
        assert body["enrollment"] is None
        [module] = body["modules"]
        assert module["title"] == "Module one"
        assert [lesson["title"] for lesson in module["lessons"]] == [
            "Reading",
            "Quiz time",
            "Wrap up",
        ]
        assert [lesson["id"] for lesson in module["lessons"]] == [
            lesson.pk for lesson in course.lessons
        ]
        assert set(module["lessons"][1]) == {"id", "title", "number"}
        assert "body" not in response.content.decode()

    def test_shows_the_callers_enrolment(self, catalog, client_with_token, learner):
        course = small_course()
        enrollment = EnrollmentFactory(user=learner, course=course.course)
        body = client_with_token.get(f"{COURSES}{course.course.pk}/").json()
        assert body["enrollment"] == {
            "id": enrollment.pk,
            "status": "active",
            "progress_percent": 0,
        }

    def test_unpublished_or_unknown_course_is_404(self, catalog, client_with_token):
        course = CoursePageFactory()
        ModulePageFactory(parent=course)
        course.unpublish()
        assert client_with_token.get(f"{COURSES}{course.pk}/").status_code == 404
        assert client_with_token.get(f"{COURSES}999999/").status_code == 404
        assert client_with_token.get(f"{COURSES}{10**30}/").status_code == 404

    def test_anonymous_is_401_and_wrong_scope_403(self, catalog, bearer, learner):
        course = CoursePageFactory()
        assert APIClient().get(f"{COURSES}{course.pk}/").status_code == 401
        assert bearer(learner, "learn").get(f"{COURSES}{course.pk}/").status_code == 403
