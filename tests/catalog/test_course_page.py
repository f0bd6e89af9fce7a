"""The course page shows the overview and the outline of modules and lessons."""

import pytest

from tests.catalog.factories import CoursePageFactory, ModulePageFactory
from tests.lessons.factories import LessonPageFactory


def build_course(lessons_per_module: int, modules: int = 5):
    course = CoursePageFactory(overview="<p>What you will learn.</p>")
    for m in range(modules):
        module = ModulePageFactory(parent=course, title=f"Module {m + 1}")
        for n in range(lessons_per_module):
            LessonPageFactory(parent=module, title=f"Lesson {m + 1}.{n + 1}")
    return course


@pytest.mark.django_db
class TestCoursePage:
    def test_shows_overview_and_outline_in_tree_order(self, client):
        course = build_course(lessons_per_module=2, modules=2)
        response = client.get(course.url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "What you will learn." in html
        positions = [
            html.index(t)
            for t in ["Module 1", "Lesson 1.1", "Lesson 1.2", "Module 2", "Lesson 2.1"]
        ]
        assert positions == sorted(positions)
        assert response.context["outline"].lesson_count == 4

    def test_unpublished_lessons_and_modules_are_not_in_the_outline(self, client):
        course = build_course(lessons_per_module=1, modules=2)
        course.get_children().last().specific.unpublish()
        response = client.get(course.url)
        assert "Module 2" not in response.content.decode()
        assert response.context["outline"].lesson_count == 1

    def test_query_count_is_the_same_for_5_and_50_lessons(
        self, client, settings, django_assert_num_queries, django_assert_max_num_queries
    ):
        settings.FLEDGE_PAGE_CACHE_SECONDS = 0  # render every time: that is what is measured
        small = build_course(lessons_per_module=1)
        large = build_course(lessons_per_module=10)
        client.get(small.url)  # warm per-process caches (site root paths, outlines)
        client.get(large.url)
        with django_assert_max_num_queries(15) as small_run:
            client.get(small.url)
        with django_assert_num_queries(len(small_run.captured_queries)):
            response = client.get(large.url)
        assert response.context["outline"].lesson_count == 50


@pytest.mark.django_db
class TestLessonPage:
    def test_lesson_shows_previous_and_next_across_modules(self, admin_client):
        client = admin_client  # an editor: lessons are otherwise for enrolled learners
        course = build_course(lessons_per_module=1, modules=2)
        first, second = [m.get_children().first() for m in course.get_children()]
        response = client.get(first.url)
        assert response.status_code == 200
        assert response.context["next_lesson"].id == second.id
        assert response.context["previous_lesson"] is None
        response = client.get(second.url)
        assert response.context["previous_lesson"].id == first.id
        assert b'aria-current="page"' in response.content

    def test_module_page_lists_its_course_outline(self, client):
        course = build_course(lessons_per_module=1, modules=1)
        module = course.get_children().first()
        response = client.get(module.url)
        assert response.status_code == 200
        assert b"Lesson 1.1" in response.content
