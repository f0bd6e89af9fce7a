"""The enrol panel, the enrol and withdraw endpoints, and the learner dashboard."""

from django.contrib.messages import get_messages

import pytest

from learner.models import Enrollment
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import EnrollmentFactory, UserFactory, small_course
from tests.lessons.factories import give_a_lesson

Status = Enrollment.Status
pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


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
            ({"enrolment_policy": "open"}, "Enrol"),
            ({"enrolment_policy": "approval"}, "Request a place"),
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

    def test_course_without_lessons_offers_no_enrolment(self, client):
        course = CoursePageFactory()
        client.force_login(UserFactory())
        panel = client.get(course.url).content.decode().split('id="enrol"')[1].split("</div>")[0]
        assert "no lessons yet" in panel
        assert "<button" not in panel

    def test_closed_course_says_so(self, client):
        course = course_with_a_lesson(enrolment_policy="closed")
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
        assert "You are enrolled" in messages_of(response)[0]
        html = client.get(course.course.url).content.decode()
        assert "Start the course" in html
        assert f'href="{course.reading.url}"' in html

    def test_closed_course_refusal_is_shown_and_nothing_created(self, client):
        course = CoursePageFactory(enrolment_policy="closed")
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

    def test_withdraw_own_enrolment(self, client):
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


class TestDashboard:
    def test_needs_sign_in(self, client):
        assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")

    def test_empty_state_points_to_the_catalog(self, client):
        client.force_login(UserFactory())
        html = client.get("/dashboard/").content.decode()
        assert "You have not enrolled in any course yet." in html
        assert 'href="/courses/"' in html

    def test_groups_enrolments_and_offers_continue(self, client):
        user = UserFactory()
        course = small_course(title="Reading course")
        active = EnrollmentFactory(user=user, course=course.course)
        client.force_login(user)
        client.get(course.quiz_lesson.url)
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

    def test_continue_someone_elses_enrolment_is_404(self, client):
        enrollment = EnrollmentFactory()
        client.force_login(UserFactory())
        assert client.get(f"/learn/enrolments/{enrollment.pk}/continue/").status_code == 404


class TestQueryBudgets:
    def test_dashboard_queries_do_not_grow_with_enrolments(
        self, client, django_assert_max_num_queries
    ):
        user = UserFactory()
        client.force_login(user)
        EnrollmentFactory(user=user)
        client.get("/dashboard/")
        with django_assert_max_num_queries(12) as few:
            client.get("/dashboard/")
        budget = len(few.captured_queries)
        for status in [Status.ACTIVE] * 6 + [Status.COMPLETED, Status.PENDING] * 3:
            EnrollmentFactory(user=user, status=status)
        client.get("/dashboard/")  # the new course pages retired cached content
        with django_assert_max_num_queries(budget):
            client.get("/dashboard/")

    def test_lesson_page_queries_do_not_grow_with_lessons(
        self, client, django_assert_max_num_queries
    ):
        from tests.catalog.factories import ModulePageFactory
        from tests.lessons.factories import LessonPageFactory

        course = small_course()
        enrollment = EnrollmentFactory(course=course.course)
        client.force_login(enrollment.user)
        client.get(course.quiz_lesson.url)
        with django_assert_max_num_queries(12) as few:
            client.get(course.quiz_lesson.url)
        budget = len(few.captured_queries)
        module = ModulePageFactory(parent=course.course)
        for _ in range(20):
            LessonPageFactory(parent=module)
        client.get(course.quiz_lesson.url)  # the new pages retired cached content
        with django_assert_max_num_queries(budget):
            client.get(course.quiz_lesson.url)

    def test_course_page_queries_do_not_grow_with_enrolments(
        self, client, django_assert_max_num_queries
    ):
        course = small_course(capacity=100)
        enrollment = EnrollmentFactory(course=course.course)
        client.force_login(enrollment.user)
        client.get(course.course.url)
        with django_assert_max_num_queries(12) as few:
            client.get(course.course.url)
        for _ in range(15):
            EnrollmentFactory(course=course.course)
        with django_assert_max_num_queries(len(few.captured_queries)):
            client.get(course.course.url)


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
