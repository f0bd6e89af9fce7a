"""A completion records what it was on: each lesson's live revision when it was completed
and the course's live revision when the course was (``compliance`` reopens completions
on older revisions after a material change)."""

import pytest

from learner.models import Enrollment, LessonProgress
from tests.learner.factories import answer_key, submit_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def revisions(course) -> dict[int, int]:
    """Publish a revision of the course and each lesson; {page id: live revision id}."""
    pages = [course.course, *course.lessons]
    for page in pages:
        page.save_revision().publish()
        page.refresh_from_db()
    return {page.pk: page.live_revision_id for page in pages}


class TestCompletionRevisions:
    def test_every_completion_records_the_live_revisions(self, client, course, enrolled, revisions):
        client.post(f"/learn/lessons/{course.reading.pk}/complete/")
        client.get(course.quiz_lesson.url)
        submit_quiz(client, course.quiz_lesson, answer_key(course.quiz_lesson))
        client.post(f"/learn/lessons/{course.last.pk}/complete/")
        enrolled.refresh_from_db()
        assert enrolled.status == Enrollment.Status.COMPLETED
        assert enrolled.course_revision_id == revisions[course.course.pk]
        covered = dict(
            LessonProgress.objects.filter(enrollment=enrolled).values_list(
                "lesson_id", "lesson_revision_id"
            )
        )
        assert covered == {lesson.pk: revisions[lesson.pk] for lesson in course.lessons}

    def test_a_lesson_completed_later_records_the_revision_live_then(
        self, client, course, enrolled, revisions
    ):
        client.post(f"/learn/lessons/{course.reading.pk}/complete/")
        course.last.save_revision().publish()
        course.last.refresh_from_db()
        client.post(f"/learn/lessons/{course.last.pk}/complete/")
        covered = dict(
            LessonProgress.objects.filter(enrollment=enrolled).values_list(
                "lesson_id", "lesson_revision_id"
            )
        )
        assert covered[course.reading.pk] == revisions[course.reading.pk]
        assert covered[course.last.pk] == course.last.live_revision_id != revisions[course.last.pk]
