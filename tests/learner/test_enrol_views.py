"""Enrolling from the course page: the enrol panel, and the enrol and withdraw
endpoints."""

import pytest

from learner.models import Enrollment
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import EnrollmentFactory, UserFactory, small_course
from tests.lessons.factories import give_a_lesson
from tests.responses import message_texts

Status = Enrollment.Status
pytestmark = pytest.mark.django_db


def course_with_a_lesson(**fields):
    """A live course with one live lesson: the enrol panel shows only on such a course."""
    course = CoursePageFactory(**fields)
    give_a_lesson(course)
    return course


class TestEnrolPanel:
    def test_anonymous_sees_sign_in_to_enrol(self, client):
        course = course_with_a_lesson()
        html = client.get(course.url).content.decode()
        assert f'href="/accounts/login/?next={course.url}"' in html

    @pytest.mark.parametrize(
        ("fields", "button"),
        [
            ({"enrollment_policy": "open"}, "Enrol"),
            ({"enrollment_policy": "approval"}, "Request a place"),
        ],
    )
    def test_button_follows_the_policy(self, client, fields, button):
        course = course_with_a_lesson(**fields)
        client.force_login(UserFactory())
        assert f">{button}</button>" in client.get(course.url).content.decode()

    def test_full_course_offers_the_waitlist(self, client):
        course = course_with_a_lesson(capacity=1)
        EnrollmentFactory(course=course)
        client.force_login(UserFactory())
        html = client.get(course.url).content.decode()
        assert "The course is full. You can join the waitlist." in html
        assert ">Join the waitlist</button>" in html

    def test_course_without_lessons_offers_no_enrollment(self, client):
        course = CoursePageFactory()
        client.force_login(UserFactory())
        panel = client.get(course.url).content.decode().split('id="enrol"')[1].split("</div>")[0]
        assert "no lessons yet" in panel
        assert "<button" not in panel

    def test_closed_course_says_so(self, client):
        course = course_with_a_lesson(enrollment_policy="closed")
        client.force_login(UserFactory())
        html = client.get(course.url).content.decode()
        assert "not taking new enrolments" in html
        assert "<button" not in html.split('id="enrol"')[1].split("</div>")[0]


class TestEnrolEndpoint:
    def test_enrol_then_see_the_start_button(self, client):
        course = small_course()
        client.force_login(UserFactory())
        response = client.post(f"/learn/courses/{course.course.pk}/enrol/")
        assert response["Location"] == course.course.url
        assert "You are enrolled" in message_texts(response)[0]
        html = client.get(course.course.url).content.decode()
        assert "Start the course" in html
        assert f'href="{course.reading.url}"' in html

    def test_closed_course_refusal_is_shown_and_nothing_created(self, client):
        course = CoursePageFactory(enrollment_policy="closed")
        client.force_login(UserFactory())
        response = client.post(f"/learn/courses/{course.pk}/enrol/", follow=True)
        assert "This course is not taking new enrolments." in response.content.decode()
        assert not Enrollment.objects.exists()

    def test_enrol_needs_post_and_sign_in(self, client):
        course = CoursePageFactory()
        assert client.post(f"/learn/courses/{course.pk}/enrol/").status_code == 302
        client.force_login(UserFactory())
        assert client.get(f"/learn/courses/{course.pk}/enrol/").status_code == 405

    def test_unknown_or_unpublished_course_is_404(self, client):
        course = CoursePageFactory()
        course.unpublish()
        client.force_login(UserFactory())
        assert client.post(f"/learn/courses/{course.pk}/enrol/").status_code == 404
        assert client.post("/learn/courses/999999/enrol/").status_code == 404

    def test_a_lesson_id_is_not_a_course(self, client):
        course = small_course()
        client.force_login(UserFactory())
        assert client.post(f"/learn/courses/{course.reading.pk}/enrol/").status_code == 404

    def test_withdraw_own_enrollment(self, client):
        enrollment = EnrollmentFactory()
        client.force_login(enrollment.user)
        response = client.post(
            f"/learn/enrolments/{enrollment.pk}/withdraw/", {"next": enrollment.course.url}
        )
        assert response["Location"] == enrollment.course.url
        enrollment.refresh_from_db()
        assert enrollment.status == Status.WITHDRAWN

    def test_withdraw_ignores_offsite_next(self, client):
        enrollment = EnrollmentFactory()
        client.force_login(enrollment.user)
        response = client.post(
            f"/learn/enrolments/{enrollment.pk}/withdraw/", {"next": "//evil.example/"}
        )
        assert response["Location"] == "/dashboard/"

    def test_cannot_withdraw_someone_else(self, client):
        enrollment = EnrollmentFactory()
        client.force_login(UserFactory())
        assert client.post(f"/learn/enrolments/{enrollment.pk}/withdraw/").status_code == 404
        enrollment.refresh_from_db()
        assert enrollment.status == Status.ACTIVE
