"""The catalog lists published courses with search, filters and pagination."""

import pytest

from catalog.models import CatalogPage
from tests.catalog.factories import CoursePageFactory, SubjectFactory


def titles(response) -> list[str]:
    return [course.title for course in response.context["courses"].object_list]


@pytest.mark.django_db
class TestCatalogListing:
    def test_lists_published_courses_only(self, client, catalog):
        CoursePageFactory(title="Fire safety")
        draft = CoursePageFactory(title="Secret draft")
        draft.unpublish()
        response = client.get(catalog.url)
        assert response.status_code == 200
        assert titles(response) == ["Fire safety"]
        assert b"Secret draft" not in response.content

    def test_search_finds_courses_by_title_summary_and_subject(self, client, catalog):
        security = SubjectFactory(name="Security")
        CoursePageFactory(title="Phishing defence", summary="Spot fake emails.")
        CoursePageFactory(title="Spreadsheets", summary="Formulas and pivots.")
        CoursePageFactory(title="Locks", summary="Doors.", subject=security)
        assert titles(client.get(catalog.url, {"q": "phishing"})) == ["Phishing defence"]
        assert titles(client.get(catalog.url, {"q": "pivots"})) == ["Spreadsheets"]
        assert titles(client.get(catalog.url, {"q": "security"})) == ["Locks"]

    def test_search_with_no_match_shows_an_empty_state(self, client, catalog):
        CoursePageFactory(title="Phishing defence")
        response = client.get(catalog.url, {"q": "astronomy"})
        assert titles(response) == []
        assert b"No course matches" in response.content

    def test_filter_by_subject_and_difficulty(self, client, catalog):
        data = SubjectFactory(name="Data")
        CoursePageFactory(title="GDPR basics", subject=data, difficulty="beginner")
        CoursePageFactory(title="GDPR for DPOs", subject=data, difficulty="advanced")
        CoursePageFactory(title="Typing", difficulty="beginner")
        assert titles(client.get(catalog.url, {"subject": data.slug})) == [
            "GDPR basics",
            "GDPR for DPOs",
        ]
        assert titles(
            client.get(catalog.url, {"subject": data.slug, "difficulty": "advanced"})
        ) == ["GDPR for DPOs"]

    def test_search_combines_with_filters(self, client, catalog):
        data = SubjectFactory(name="Data")
        CoursePageFactory(title="Data retention", subject=data, difficulty="beginner")
        CoursePageFactory(title="Data retention deep dive", subject=data, difficulty="advanced")
        response = client.get(catalog.url, {"q": "retention", "difficulty": "advanced"})
        assert titles(response) == ["Data retention deep dive"]

    def test_unknown_filters_are_ignored_not_errors(self, client, catalog):
        CoursePageFactory(title="Typing")
        response = client.get(
            catalog.url, {"subject": "nope", "difficulty": "<script>", "page": "banana"}
        )
        assert response.status_code == 200
        assert titles(response) == ["Typing"]

    def test_pagination_keeps_filters(self, client, catalog):
        CatalogPage.per_page = 12
        for n in range(15):
            CoursePageFactory(title=f"Course {n:02d}", difficulty="beginner")
        first = client.get(catalog.url, {"difficulty": "beginner"})
        assert len(titles(first)) == 12
        assert b'href="?difficulty=beginner&amp;page=2"' in first.content
        second = client.get(catalog.url, {"difficulty": "beginner", "page": 2})
        assert titles(second) == ["Course 12", "Course 13", "Course 14"]
        past_the_end = client.get(catalog.url, {"page": 99})
        assert titles(past_the_end) == ["Course 12", "Course 13", "Course 14"]

    def test_catalog_query_count_does_not_grow_with_courses(
        self, client, catalog, django_assert_max_num_queries
    ):
        for n in range(3):
            CoursePageFactory(title=f"Small {n}")
        client.get(catalog.url)  # warm per-process caches (site root paths)
        with django_assert_max_num_queries(12) as few:
            client.get(catalog.url)
        for n in range(12):
            CoursePageFactory(title=f"More {n}")
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(catalog.url)


@pytest.mark.django_db
class TestHomePage:
    def test_home_shows_featured_or_latest_courses(self, client, catalog):
        CoursePageFactory(title="Newest course")
        response = client.get("/")
        assert response.status_code == 200
        assert b"Newest course" in response.content
        assert b'href="/courses/"' in response.content
