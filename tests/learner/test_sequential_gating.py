"""With sequential lessons, a lesson opens only when *every* earlier lesson is complete,
and a blocked learner is sent to the earliest lesson still to do.

The lesson just before being complete is not enough: after an editor reorders the
course (or adds a lesson at the start), a learner can have a later lesson done and an
earlier one not.
"""

from django.contrib.messages import get_messages
from django.utils import timezone

import pytest

from learner.models import LessonProgress
from learner.selectors import lesson_access
from tests.catalog.factories import ModulePageFactory
from tests.learner.factories import EnrollmentFactory, small_course
from tests.lessons.factories import LessonPageFactory

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def completed(enrollment, *lessons) -> None:
    """Record the lessons as completed by the learner (as the services once did)."""
    now = timezone.now()
    for lesson in lessons:
        LessonProgress.objects.create(
            enrollment=enrollment,
            lesson=lesson,
            first_viewed_at=now,
            last_viewed_at=now,
            completed_at=now,
            views=1,
        )


@pytest.fixture
def course():
    return small_course(sequential_lessons=True)


@pytest.fixture
def learner(client, course):
    enrollment = EnrollmentFactory(course=course.course)
    client.force_login(enrollment.user)
    return enrollment


class TestEarliestIncompleteLessonBlocks:
    def test_third_lesson_sends_a_new_learner_to_the_first_not_the_second(
        self, client, course, learner
    ):
        response = client.get(course.last.url)
        assert response.status_code == 302
        assert response["Location"] == course.reading.url
        assert messages_of(response) == [
            "Complete “Reading” first: this course's lessons open in order."
        ]

    def test_guard_names_the_earliest_lesson_still_to_do(self, course, learner):
        access = lesson_access(user=learner.user, lesson=course.last)
        assert not access.allowed
        assert access.blocking_lesson.id == course.reading.id

    def test_later_lesson_done_does_not_open_the_next_when_an_earlier_one_is_not(
        self, client, course, learner
    ):
        # The quiz lesson (second) is done, the reading (first) is not.
        completed(learner, course.quiz_lesson)
        response = client.get(course.last.url)
        assert response.status_code == 302
        assert response["Location"] == course.reading.url
        assert "Complete “Reading” first" in messages_of(response)[0]

    def test_every_earlier_lesson_done_opens_the_lesson(self, client, course, learner):
        completed(learner, course.reading, course.quiz_lesson)
        assert client.get(course.last.url).status_code == 200


class TestReorderedCourse:
    """The learner finished "Reading" while it was first; an editor then moved the
    quiz lesson to the front: order is now Quiz time, Reading, Wrap up."""

    @pytest.fixture
    def reordered(self, course, learner):
        completed(learner, course.reading)
        course.quiz_lesson.move(course.reading, pos="left")
        return course

    def test_next_lesson_sends_the_learner_back_to_the_moved_lesson(
        self, client, reordered, learner
    ):
        response = client.get(reordered.last.url)
        assert response.status_code == 302
        assert response["Location"] == reordered.quiz_lesson.url
        assert messages_of(response) == [
            "Complete “Quiz time” first: this course's lessons open in order."
        ]

    def test_marking_the_next_lesson_complete_is_refused(self, client, reordered, learner):
        response = client.post(f"/learn/lessons/{reordered.last.pk}/complete/")
        assert response.status_code == 403
        assert not LessonProgress.objects.filter(
            enrollment=learner, lesson=reordered.last, completed_at__isnull=False
        ).exists()
        learner.refresh_from_db()
        assert learner.status == learner.Status.ACTIVE

    def test_the_moved_lesson_itself_opens(self, client, reordered, learner):
        assert client.get(reordered.quiz_lesson.url).status_code == 200


class TestAcrossModules:
    def test_second_modules_lesson_waits_for_every_lesson_of_the_first_module(
        self, client, course, learner
    ):
        module_two = ModulePageFactory(parent=course.course, title="Module two")
        next_module_lesson = LessonPageFactory(parent=module_two, title="Next steps")
        # Only the lesson just before (the last of module one) is done.
        completed(learner, course.last)
        response = client.get(next_module_lesson.url)
        assert response.status_code == 302
        assert response["Location"] == course.reading.url
