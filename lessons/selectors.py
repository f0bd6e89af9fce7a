"""Reads of lesson pages shared by the lesson page and the learner's actions on them."""

from dataclasses import dataclass

from base.cache import DEFAULT_TIMEOUT, cached_content
from catalog.selectors import CourseOutline, OutlineLesson, OutlineModule

from .models import LessonPage


def live_lesson(lesson_id: int) -> LessonPage | None:
    """The live lesson with this id, with its ``course``, or None.

    From the content cache, which every publish, unpublish, move, deletion or direct
    save of a page retires (``base.cache``), else one query (and the course's, when
    that is not cached either). The learner's actions on a lesson (its quiz, "Mark
    complete", the reading-time heartbeat) start here: a cached lesson is as current
    as every page served from the same cache, so a quiz is graded against the one
    published. An unknown id (or one out of the id's range) is not cached.
    """
    return cached_content(("live-lesson", lesson_id), DEFAULT_TIMEOUT, lambda: _read(lesson_id))


def _read(lesson_id: int) -> LessonPage | None:
    # ``id``, not ``pk`` (the ``page_ptr`` link): Django range-checks lookups on the id
    # itself, so an id of 30 digits finds nothing rather than overflowing.
    lesson = LessonPage.objects.live().filter(id=lesson_id).first()
    if lesson is not None:
        lesson.course  # noqa: B018 - computed now, so that it is cached with the lesson
    return lesson


@dataclass(frozen=True)
class LessonNavigation:
    """Where a lesson sits in its course: its module, the lessons before and after it
    and its number (from 1), all None for a lesson that is not in the outline."""

    module: OutlineModule | None
    previous: OutlineLesson | None
    next: OutlineLesson | None
    number: int | None


def lesson_navigation(*, outline: CourseOutline, lesson_id: int) -> LessonNavigation:
    """The lesson's place in the course's outline (live lessons in page-tree order):
    what the lesson page shows around it, and where "Mark complete" and a passed quiz
    lead next."""
    lessons = outline.lessons
    position = next((i for i, lesson in enumerate(lessons) if lesson.id == lesson_id), None)
    if position is None:
        return LessonNavigation(module=None, previous=None, next=None, number=None)
    module = next(m for m in outline.modules if any(x.id == lesson_id for x in m.lessons))
    return LessonNavigation(
        module=module,
        previous=lessons[position - 1] if position else None,
        next=lessons[position + 1] if position + 1 < len(lessons) else None,
        number=position + 1,
    )
