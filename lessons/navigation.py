"""A lesson's place in its course's outline: pure arithmetic on the outline, no query,
so the lesson page model and the learner's views share it (re-exported by
``lessons.selectors``)."""

from dataclasses import dataclass

from catalog.selectors import CourseOutline, OutlineLesson, OutlineModule


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
