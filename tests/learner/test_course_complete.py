"""After a quiz, the results page leads on: to the next lesson, or, when that finished
the course, to what the course gave the learner (certificate, required training)."""

import uuid

from django.urls import reverse

import pytest

from learner.models import Enrollment
from tests.compliance.factories import AssignmentFactory, TrainingRequirementFactory
from tests.learner.factories import EnrollmentFactory, UserFactory, answer_key, small_course

pytestmark = pytest.mark.django_db


def submit(client, lesson, data):
    payload = {**data, "submission_token": [str(uuid.uuid4())]}
    return client.post(f"/learn/lessons/{lesson.pk}/quiz/", payload, follow=True)


@pytest.fixture
def course():
    return small_course(title="Phishing basics", issues_certificate=True)


@pytest.fixture
def enrolled(client, course):
    enrollment = EnrollmentFactory(course=course.course)
    client.force_login(enrollment.user)
    return enrollment


class TestResultsPage:
    def test_a_pass_links_to_the_next_lesson(self, client, course, enrolled):
        html = submit(client, course.quiz_lesson, answer_key(course.quiz_lesson)).content.decode()
        assert f'href="{course.last.url}"' in html
        assert "Next lesson: Wrap up" in html
        assert "Course complete" not in html

    def test_a_fail_does_not_move_on(self, client, course, enrolled):
        data = answer_key(course.quiz_lesson, correct=False)
        html = submit(client, course.quiz_lesson, data).content.decode()
        assert "Next lesson" not in html
        assert "Try again" in html


class TestCourseComplete:
    def finish_with_the_quiz(self, client, course):
        for lesson in (course.reading, course.last):
            client.post(f"/learn/lessons/{lesson.pk}/complete/")
        return submit(client, course.quiz_lesson, answer_key(course.quiz_lesson))

    def test_the_final_quiz_shows_the_course_complete_message(self, client, course, enrolled):
        html = self.finish_with_the_quiz(client, course).content.decode()
        enrolled.refresh_from_db()
        assert enrolled.status == Enrollment.Status.COMPLETED
        assert "Course complete" in html
        assert "Well done: you have completed" in html
        assert "Next lesson" not in html

    def test_the_certificate_is_being_prepared_then_linked(
        self, client, course, enrolled, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):
            html = self.finish_with_the_quiz(client, course).content.decode()
        assert "Your certificate is being prepared" in html
        certificate = enrolled.certificates.get()
        certificate.rendered_at = certificate.issued_at
        certificate.save(update_fields=["rendered_at"])
        page = client.get(reverse("learner:course_complete", args=[enrolled.pk])).content.decode()
        download = reverse("certificates:download", args=[certificate.number])
        assert f'href="{download}"' in page
        assert "being prepared" not in page

    def test_a_course_without_a_certificate_mentions_none(self, client):
        course = small_course(issues_certificate=False)
        client.force_login(EnrollmentFactory(course=course.course).user)
        html = self.finish_with_the_quiz(client, course).content.decode()
        assert "Course complete" in html
        assert "certificate" not in html.split("Course complete")[1].split("</section>")[0]

    def test_required_training_it_counts_toward_is_named(self, client, course, enrolled):
        requirement = TrainingRequirementFactory(name="Annual phishing", course=course.course)
        AssignmentFactory(requirement=requirement, user=enrolled.user)
        html = self.finish_with_the_quiz(client, course).content.decode()
        assert "This counts toward your required training" in html
        assert "Annual phishing" in html

    def test_marking_the_last_lesson_complete_leads_to_the_same_message(
        self, client, course, enrolled
    ):
        client.post(f"/learn/lessons/{course.reading.pk}/complete/")
        submit(client, course.quiz_lesson, answer_key(course.quiz_lesson))
        response = client.post(f"/learn/lessons/{course.last.pk}/complete/")
        assert response["Location"] == reverse("learner:course_complete", args=[enrolled.pk])
        assert "Course complete" in client.get(response["Location"]).content.decode()


class TestCourseCompletePage:
    def test_is_for_the_learners_own_completed_enrollment_only(self, client, course, enrolled):
        url = reverse("learner:course_complete", args=[enrolled.pk])
        assert client.get(url).status_code == 404  # not completed yet
        Enrollment.objects.filter(pk=enrolled.pk).update(status=Enrollment.Status.COMPLETED)
        assert client.get(url).status_code == 200
        client.force_login(UserFactory())
        assert client.get(url).status_code == 404
        client.logout()
        assert client.get(url).status_code == 302
