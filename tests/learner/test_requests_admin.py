"""The enrolment requests screen: instructors approve or reject requests to join their
courses."""

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from catalog.models import CoursePage
from learner.models import Enrollment
from tests.learner.factories import EnrollmentFactory, pending
from tests.responses import message_texts

Status = Enrollment.Status
pytestmark = pytest.mark.django_db

REQUESTS_URL = "/admin/learners/requests/"


def approve_url(enrollment: Enrollment) -> str:
    return reverse("learner_requests:approve", args=[enrollment.pk])


def reject_url(enrollment: Enrollment) -> str:
    return reverse("learner_requests:reject", args=[enrollment.pk])


class TestEnrollmentRequests:
    def test_instructor_sees_pending_requests_for_their_courses_only(
        self, client, botanist, course_a, course_b, learner
    ):
        mine = pending(course_b, user=learner)
        pending(course_a)
        EnrollmentFactory(course=course_b)  # active: not a request
        client.force_login(botanist)
        response = client.get(REQUESTS_URL)
        assert response.status_code == 200
        assert list(response.context["object_list"]) == [mine]
        content = response.content.decode()
        assert "Lena Lind" in content
        assert "lena@example.com" in content
        assert "Botany" in content
        assert "Anatomy" not in content
        assert approve_url(mine) in content
        assert reject_url(mine) in content

    def test_course_filter_narrows_the_list(self, client, instructor, course_a, course_b):
        in_a = pending(course_a)
        pending(course_b)
        client.force_login(instructor)
        response = client.get(REQUESTS_URL, {"course": course_a.pk})
        assert list(response.context["object_list"]) == [in_a]

    def test_approve_activates_and_emails_the_learner(
        self, client, instructor, course_a, learner, django_capture_on_commit_callbacks
    ):
        enrollment = pending(course_a, user=learner)
        client.force_login(instructor)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(approve_url(enrollment))
        assert response.status_code == 302
        assert response["Location"] == REQUESTS_URL
        enrollment.refresh_from_db()
        assert enrollment.status == Status.ACTIVE
        assert enrollment.decided_by == instructor
        assert enrollment.activated_at is not None
        assert [m.to for m in mail.outbox] == [["lena@example.com"]]
        assert mail.outbox[0].subject == "You're in: Anatomy"
        assert any("Approved" in text for text in message_texts(response))

    def test_approve_when_full_puts_the_learner_on_the_waitlist(
        self, client, instructor, course_a, learner, django_capture_on_commit_callbacks
    ):
        CoursePage.objects.filter(pk=course_a.pk).update(capacity=1, waitlist_enabled=True)
        EnrollmentFactory(course=course_a)
        enrollment = pending(course_a, user=learner)
        client.force_login(instructor)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(approve_url(enrollment))
        enrollment.refresh_from_db()
        assert enrollment.status == Status.WAITLISTED
        assert mail.outbox[0].subject == "Approved and on the waitlist: Anatomy"

    def test_approve_when_full_without_waitlist_shows_the_reason(
        self, client, instructor, course_a, django_capture_on_commit_callbacks
    ):
        CoursePage.objects.filter(pk=course_a.pk).update(capacity=1, waitlist_enabled=False)
        EnrollmentFactory(course=course_a)
        enrollment = pending(course_a)
        client.force_login(instructor)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(approve_url(enrollment))
        assert response.status_code == 302
        enrollment.refresh_from_db()
        assert enrollment.status == Status.PENDING
        assert not mail.outbox
        assert any("The course is full" in text for text in message_texts(response))

    def test_approving_a_decided_request_changes_nothing(self, client, instructor, course_a):
        enrollment = EnrollmentFactory(course=course_a, status=Status.REJECTED)
        client.force_login(instructor)
        response = client.post(approve_url(enrollment))
        assert response.status_code == 302
        enrollment.refresh_from_db()
        assert enrollment.status == Status.REJECTED
        assert any("Only requests awaiting approval" in t for t in message_texts(response))

    def test_approve_returns_to_the_filtered_list_but_not_elsewhere(
        self, client, instructor, course_a
    ):
        first, second = pending(course_a), pending(course_a)
        client.force_login(instructor)
        back = f"{REQUESTS_URL}?course={course_a.pk}"
        response = client.post(approve_url(first), {"next": back})
        assert response["Location"] == back
        response = client.post(approve_url(second), {"next": "https://evil.example/"})
        assert response["Location"] == REQUESTS_URL

    def test_reject_with_a_reason_emails_it(
        self, client, instructor, course_a, learner, django_capture_on_commit_callbacks
    ):
        enrollment = pending(course_a, user=learner)
        client.force_login(instructor)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reject_url(enrollment), {"reason": "  Full this term.  "})
        assert response.status_code == 302
        enrollment.refresh_from_db()
        assert enrollment.status == Status.REJECTED
        assert enrollment.reason == "Full this term."
        assert enrollment.decided_by == instructor
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["lena@example.com"]
        assert "Full this term." in mail.outbox[0].body

    @pytest.mark.parametrize("data", [{}, {"reason": "   "}])
    def test_reject_without_a_reason_shows_the_list_again_as_400(
        self, client, instructor, course_a, data, django_capture_on_commit_callbacks
    ):
        enrollment = pending(course_a)
        client.force_login(instructor)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reject_url(enrollment), data)
        assert response.status_code == 400
        content = response.content.decode()
        assert "Give the learner a reason" in content
        assert f'id="reject-reason-{enrollment.pk}-error"' in content
        enrollment.refresh_from_db()
        assert enrollment.status == Status.PENDING
        assert not mail.outbox

    def test_other_instructor_cannot_decide_and_nothing_changes(
        self, client, botanist, course_a, django_capture_on_commit_callbacks
    ):
        enrollment = pending(course_a)
        client.force_login(botanist)
        with django_capture_on_commit_callbacks(execute=True):
            approve = client.post(approve_url(enrollment))
            reject = client.post(reject_url(enrollment), {"reason": "No."})
        assert approve.status_code == 404
        assert reject.status_code == 404
        enrollment.refresh_from_db()
        assert enrollment.status == Status.PENDING
        assert enrollment.decided_by is None
        assert not mail.outbox

    def test_learner_cannot_decide(self, client, course_a, learner):
        enrollment = pending(course_a)
        client.force_login(learner)
        response = client.post(approve_url(enrollment))
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")  # the site's sign-in
        response = client.post(reject_url(enrollment), {"reason": "No."})
        assert response["Location"].startswith("/accounts/login/")  # the site's sign-in
        enrollment.refresh_from_db()
        assert enrollment.status == Status.PENDING

    def test_unknown_id_is_404(self, client, instructor, course_a):
        client.force_login(instructor)
        assert client.post("/admin/learners/requests/999999/approve/").status_code == 404
        response = client.post("/admin/learners/requests/999999/reject/", {"reason": "x"})
        assert response.status_code == 404

    def test_get_on_decision_endpoints_is_405(self, client, instructor, course_a):
        enrollment = pending(course_a)
        client.force_login(instructor)
        assert client.get(approve_url(enrollment)).status_code == 405
        assert client.get(reject_url(enrollment)).status_code == 405
        enrollment.refresh_from_db()
        assert enrollment.status == Status.PENDING

    def test_query_count_does_not_grow_with_requests(
        self, client, instructor, course_a, django_assert_max_num_queries
    ):
        for _ in range(3):
            pending(course_a)
        client.force_login(instructor)
        with CaptureQueriesContext(connection) as few:
            assert client.get(REQUESTS_URL).status_code == 200
        for _ in range(27):
            pending(course_a)
        with django_assert_max_num_queries(len(few.captured_queries)):
            response = client.get(REQUESTS_URL)
        assert len(response.context["object_list"]) == 30
