"""Only enrolled learners and editors read lessons; everyone else is told why."""

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from learner.models import Enrollment, LessonProgress
from tests.learner.factories import EnrollmentFactory, UserFactory, small_course

Status = Enrollment.Status
pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def course():
    return small_course()


class TestLessonAccess:
    def test_anonymous_visitor_is_sent_to_the_course_page(self, client, course):
        response = client.get(course.reading.url)
        assert response.status_code == 302
        assert response["Location"] == course.course.url
        assert "Sign in and enrol" in messages_of(response)[0]

    def test_signed_in_but_not_enrolled(self, client, course):
        client.force_login(UserFactory())
        response = client.get(course.reading.url)
        assert response.status_code == 302
        assert messages_of(response) == ["Enrol in this course to read its lessons."]

    @pytest.mark.parametrize(
        ("status", "message"),
        [
            (Status.PENDING, "awaiting approval"),
            (Status.WAITLISTED, "on the waitlist"),
            (Status.WITHDRAWN, "Enrol in this course"),
            (Status.REJECTED, "Enrol in this course"),
        ],
    )
    def test_enrollments_that_give_no_access(self, client, course, status, message):
        enrollment = EnrollmentFactory(course=course.course, status=status)
        client.force_login(enrollment.user)
        response = client.get(course.reading.url)
        assert response.status_code == 302
        assert message in messages_of(response)[0]

    def test_active_learner_reads_and_the_page_reports_the_view(self, client, course):
        enrollment = EnrollmentFactory(course=course.course)
        client.force_login(enrollment.user)
        page = client.get(course.reading.url)
        assert page.status_code == 200
        beacon = f"/learn/lessons/{course.reading.pk}/heartbeat/"
        assert f'data-heartbeat-url="{beacon}"' in page.content.decode()
        assert not LessonProgress.objects.exists()  # reading alone writes nothing
        for _ in range(2):  # the page's script, once per load
            assert client.post(beacon, {"view": "1"}).status_code == 200
        progress = LessonProgress.objects.get(enrollment=enrollment, lesson=course.reading)
        assert progress.views == 2 and progress.first_viewed_at is not None
        enrollment.refresh_from_db()
        assert enrollment.last_lesson_id == course.reading.pk

    def test_a_lesson_get_writes_nothing(self, client, course):
        enrollment = EnrollmentFactory(course=course.course)
        client.force_login(enrollment.user)
        for lesson in (course.reading, course.quiz_lesson):
            client.get(lesson.url)  # warm
            with CaptureQueriesContext(connection) as cold:
                cache.clear()
                assert client.get(lesson.url).status_code == 200
            with CaptureQueriesContext(connection) as warm:
                assert client.get(lesson.url).status_code == 200
            for query in [*cold.captured_queries, *warm.captured_queries]:
                verb = query["sql"].lstrip().split(None, 1)[0].upper()
                assert verb in {"SELECT", "SAVEPOINT", "RELEASE"}, query["sql"]

    def test_completed_learner_can_still_read(self, client, course):
        enrollment = EnrollmentFactory(course=course.course, status=Status.COMPLETED)
        client.force_login(enrollment.user)
        assert client.get(course.last.url).status_code == 200

    def test_enrollment_in_another_course_does_not_open_this_one(self, client, course):
        other = EnrollmentFactory()
        client.force_login(other.user)
        assert client.get(course.reading.url).status_code == 302

    def test_editors_read_without_enrolling_and_record_nothing(self, admin_client, course):
        response = admin_client.get(course.quiz_lesson.url)
        assert response.status_code == 200
        assert b"as an editor" in response.content
        assert not LessonProgress.objects.exists()

    def test_preview_works_for_editors(self, admin_client, course):
        response = admin_client.get(f"/admin/pages/{course.quiz_lesson.pk}/view_draft/")
        assert response.status_code == 200
        assert b"Quiz time" in response.content


class TestSequentialLessons:
    def test_later_lesson_opens_only_after_the_previous_is_complete(self, client):
        course = small_course(sequential_lessons=True)
        enrollment = EnrollmentFactory(course=course.course)
        client.force_login(enrollment.user)
        response = client.get(course.quiz_lesson.url)
        assert response.status_code == 302
        assert response["Location"] == course.reading.url
        assert "Complete “Reading” first" in messages_of(response)[0]

        client.post(f"/learn/lessons/{course.reading.pk}/complete/")
        assert client.get(course.quiz_lesson.url).status_code == 200
        # The quiz lesson is not passed yet, so the last one stays closed.
        assert client.get(course.last.url)["Location"] == course.quiz_lesson.url

    def test_without_sequencing_any_lesson_opens(self, client):
        course = small_course(sequential_lessons=False)
        enrollment = EnrollmentFactory(course=course.course)
        client.force_login(enrollment.user)
        assert client.get(course.last.url).status_code == 200

    def test_completing_out_of_order_is_refused(self, client):
        course = small_course(sequential_lessons=True)
        enrollment = EnrollmentFactory(course=course.course)
        client.force_login(enrollment.user)
        response = client.post(f"/learn/lessons/{course.last.pk}/complete/")
        assert response.status_code == 403
        assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()
