"""The catalog lists published courses with search, filters and pagination."""

import re
from html import unescape

import pytest

from catalog.models import CatalogPage
from tests.catalog.factories import CoursePageFactory, SubjectFactory


def titles(response) -> list[str]:
    """The titles of the course cards on the page, in order."""
    html = response.content.decode()
    return [unescape(t) for t in re.findall(r'course-card__title"><a [^>]*>([^<]*)</a>', html)]


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

    @pytest.mark.parametrize("q", ['phishing"', '"phishing', "\x00phishing", "phishing\x1f"])
    def test_quotes_and_control_characters_are_ignored(self, client, catalog, q):
        CoursePageFactory(title="Phishing defence")
        CoursePageFactory(title="Spreadsheets")
        response = client.get(catalog.url, {"q": q})
        assert response.status_code == 200
        assert titles(response) == ["Phishing defence"]

    def test_a_query_of_only_a_quote_lists_everything(self, client, catalog):
        CoursePageFactory(title="Phishing defence")
        assert titles(client.get(catalog.url, {"q": '"'})) == ["Phishing defence"]

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
        self, client, catalog, settings, django_assert_max_num_queries
    ):
        settings.FLEDGE_PAGE_CACHE_SECONDS = 0  # measure rendering, not the page cache
        for n in range(3):
            CoursePageFactory(title=f"Small {n}")
        client.get(catalog.url)  # warm caches (site, routes, branding)
        with django_assert_max_num_queries(12) as few:
            client.get(catalog.url)
        budget = len(few.captured_queries)
        for n in range(12):
            CoursePageFactory(title=f"More {n}")
        client.get(catalog.url)  # new pages retired the cached routes: warm them again
        with django_assert_max_num_queries(budget):
            client.get(catalog.url)


@pytest.mark.django_db
class TestHomePage:
    def test_home_shows_featured_or_latest_courses(self, client, catalog):
        CoursePageFactory(title="Newest course")
        response = client.get("/")
        assert response.status_code == 200
        assert b"Newest course" in response.content
        assert b'href="/courses/"' in response.content
