"""The learner dashboard (My learning): enrolments by state, continuing where one left
off, and links to the courses as they are now."""

import pytest

from learner.models import Enrollment
from tests.learner.factories import EnrollmentFactory, UserFactory, small_course

Status = Enrollment.Status
pytestmark = pytest.mark.django_db


class TestDashboard:
    def test_needs_sign_in(self, client):
        assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")

    def test_empty_state_points_to_the_catalog(self, client):
        client.force_login(UserFactory())
        html = client.get("/dashboard/").content.decode()
        assert "You have not enrolled in any course yet." in html
        assert 'href="/courses/"' in html

    def test_groups_enrollments_and_offers_continue(self, client):
        user = UserFactory()
        course = small_course(title="Reading course")
        active = EnrollmentFactory(user=user, course=course.course)
        client.force_login(user)
        client.get(course.quiz_lesson.url)
        client.post(f"/learn/lessons/{course.quiz_lesson.pk}/heartbeat/", {"view": "1"})
        EnrollmentFactory(user=user, status=Status.PENDING, course__title="Pending course")
        EnrollmentFactory(user=user, status=Status.WAITLISTED, course__title="Queued course")
        EnrollmentFactory(user=user, status=Status.COMPLETED, course__title="Done course")
        EnrollmentFactory(user=user, status=Status.WITHDRAWN, course__title="Left course")
        EnrollmentFactory(course__title="Someone else's course")
        html = client.get("/dashboard/").content.decode()
        for title in ["Reading course", "Pending course", "Queued course", "Done course"]:
            assert title in html
        assert "Left course" not in html
        assert "Someone else" not in html
        assert f'href="/learn/enrolments/{active.pk}/continue/">Continue where you left off' in html

    def test_continue_goes_to_the_first_unfinished_lesson(self, client):
        course = small_course()
        enrollment = EnrollmentFactory(course=course.course)
        client.force_login(enrollment.user)
        client.post(f"/learn/lessons/{course.reading.pk}/complete/")
        response = client.get(f"/learn/enrolments/{enrollment.pk}/continue/")
        assert response["Location"] == course.quiz_lesson.url

    def test_continue_someone_elses_enrollment_is_404(self, client):
        enrollment = EnrollmentFactory()
        client.force_login(UserFactory())
        assert client.get(f"/learn/enrolments/{enrollment.pk}/continue/").status_code == 404


class TestDashboardCourseLinks:
    def test_a_renamed_course_shows_its_new_title_once_published(self, client):
        course = small_course(title="Fire Safety").course
        enrollment = EnrollmentFactory(course=course)
        client.force_login(enrollment.user)
        assert "Fire Safety" in client.get("/dashboard/").content.decode()
        course.title = "Fire Safety at Work"
        course.save_revision().publish()
        page = client.get("/dashboard/").content.decode()
        assert "Fire Safety at Work" in page
        assert course.url in page

    def test_an_unpublished_course_still_links_for_its_learners(self, client):
        course = small_course(title="Retired Course").course
        enrollment = EnrollmentFactory(course=course, status=Status.COMPLETED)
        client.force_login(enrollment.user)
        client.get("/dashboard/")
        course.unpublish()
        page = client.get("/dashboard/").content.decode()
        assert "Retired Course" in page
