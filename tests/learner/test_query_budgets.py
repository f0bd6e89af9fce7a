"""Query budgets of the learner's pages: the dashboard, a lesson and a course page do
not run more queries as enrolments or lessons grow."""

from django.core.cache import cache

import pytest

from learner.models import Enrollment
from tests.catalog.factories import ModulePageFactory
from tests.learner.factories import EnrollmentFactory, UserFactory, small_course
from tests.lessons.factories import LessonPageFactory

Status = Enrollment.Status
pytestmark = pytest.mark.django_db


class TestQueryBudgets:
    def test_dashboard_queries_do_not_grow_with_enrollments(
        self, client, django_assert_max_num_queries
    ):
        user = UserFactory()
        client.force_login(user)
        EnrollmentFactory(user=user)
        client.get("/dashboard/")
        with django_assert_max_num_queries(12) as few:
            client.get("/dashboard/")
        budget = len(few.captured_queries)
        for status in [Status.ACTIVE] * 6 + [Status.COMPLETED, Status.PENDING] * 3:
            EnrollmentFactory(user=user, status=status)
        client.get("/dashboard/")  # the new course pages retired cached content
        with django_assert_max_num_queries(budget):
            client.get("/dashboard/")

    def test_lesson_page_queries_do_not_grow_with_lessons(
        self, client, django_assert_max_num_queries
    ):
        course = small_course()
        enrollment = EnrollmentFactory(course=course.course)
        client.force_login(enrollment.user)
        client.get(course.quiz_lesson.url)
        with django_assert_max_num_queries(12) as few:
            client.get(course.quiz_lesson.url)
        budget = len(few.captured_queries)
        module = ModulePageFactory(parent=course.course)
        for _ in range(20):
            LessonPageFactory(parent=module)
        client.get(course.quiz_lesson.url)  # the new pages retired cached content
        with django_assert_max_num_queries(budget):
            client.get(course.quiz_lesson.url)

    def test_course_page_queries_do_not_grow_with_enrollments(
        self, client, django_assert_max_num_queries
    ):
        course = small_course(capacity=100)
        enrollment = EnrollmentFactory(course=course.course)
        client.force_login(enrollment.user)
        client.get(course.course.url)
        with django_assert_max_num_queries(12) as few:
            client.get(course.course.url)
        for _ in range(15):
            EnrollmentFactory(course=course.course)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(course.course.url)


class TestColdCache:
    """The first request after a publish or a restart (the cache emptied), within the
    issue's 12 queries: the Site, its root paths, branding and whether any page is
    restricted in one; the route; the page; the session and the user; the
    permissions; the enrolment with its completed lessons; the outline; the catalog
    link; for a lesson its course, and for a quiz its attempts."""

    @pytest.mark.parametrize(
        ("page", "budget"), [("course", 9), ("reading", 10), ("quiz_lesson", 11)]
    )
    def test_cold_pages_stay_within_their_budget(
        self, client, django_assert_max_num_queries, page, budget
    ):
        course = small_course()
        enrollment = EnrollmentFactory(course=course.course)
        client.force_login(enrollment.user)
        url = getattr(course, page).url
        client.get(url)
        cache.clear()
        with django_assert_max_num_queries(budget):
            assert client.get(url).status_code == 200
