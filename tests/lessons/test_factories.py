"""The lesson factories build real pages whose quiz ids survive a reload."""

import pytest

from lessons.models import LessonPage
from tests.lessons.factories import LessonPageFactory, lesson_body, paragraph, quiz


@pytest.mark.django_db
class TestLessonFactories:
    def test_lesson_page_factory_builds_the_whole_tree(self, catalog):
        lesson = LessonPageFactory()
        module = lesson.get_parent()
        course = module.get_parent()
        assert course.get_parent().pk == catalog.pk
        assert lesson.live

    def test_question_and_option_ids_are_stable_across_loads(self):
        lesson = LessonPageFactory(body=lesson_body(paragraph(), quiz()))
        first = LessonPage.objects.get(pk=lesson.pk).quiz
        second = LessonPage.objects.get(pk=lesson.pk).quiz
        ids = [
            (q.id, [o.id for o in q.value["options"].bound_blocks])
            for q in first.value["questions"]
            if "options" in q.value
        ]
        again = [
            (q.id, [o.id for o in q.value["options"].bound_blocks])
            for q in second.value["questions"]
            if "options" in q.value
        ]
        assert ids == again
        assert all(question_id for question_id, _ in ids)
