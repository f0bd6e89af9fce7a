"""Reads of lesson pages shared by the lesson page and the learner's actions on them."""

from base.cache import DEFAULT_TIMEOUT, cached_content

from .models import LessonPage
from .navigation import LessonNavigation, lesson_navigation

__all__ = ["LessonNavigation", "lesson_navigation", "live_lesson"]


def live_lesson(*, lesson_id: int) -> LessonPage | None:
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
