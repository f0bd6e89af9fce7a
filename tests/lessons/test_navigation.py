"""A lesson's place in its course: one selector for the lesson page, "Mark complete"
and the quiz result's "Next lesson"."""

import pytest

from catalog.selectors import course_outline
from lessons.selectors import lesson_navigation
from tests.catalog.factories import ModulePageFactory
from tests.learner.factories import small_course
from tests.lessons.factories import LessonPageFactory

pytestmark = pytest.mark.django_db


def test_previous_next_and_number_run_across_modules(catalog):
    course = small_course()
    second_module = ModulePageFactory(parent=course.course, title="Part two")
    after = LessonPageFactory(parent=second_module, title="After")
    outline = course_outline(course=course.course)

    first = lesson_navigation(outline=outline, lesson_id=course.reading.id)
    assert (first.previous, first.next.id, first.number) == (None, course.quiz_lesson.id, 1)

    last_of_first_module = lesson_navigation(outline=outline, lesson_id=course.last.id)
    assert last_of_first_module.next.id == after.id
    assert last_of_first_module.number == 3

    final = lesson_navigation(outline=outline, lesson_id=after.id)
    assert (final.previous.id, final.next, final.number) == (course.last.id, None, 4)
    assert final.module.title == "Part two"


def test_a_lesson_outside_the_outline_has_no_place(catalog):
    course = small_course()
    navigation = lesson_navigation(outline=course_outline(course=course.course), lesson_id=10**9)
    assert (navigation.module, navigation.previous, navigation.next, navigation.number) == (
        None,
        None,
        None,
        None,
    )
