"""The error family: what each refusal answers, as a page and as problem+json."""

import json

from django.http import HttpResponse

import pytest

from base.errors import PROBLEM_JSON, FledgeError, FledgeErrorMiddleware, error_response
from catalog.workflow import NO_LIVE_LESSON, CourseNotReady
from certificates.services import CertificateError
from compliance.services import ComplianceError
from learner.grading import InvalidSubmission
from learner.services import LearningError

pytestmark = pytest.mark.django_db


def raising(error: Exception):
    """The middleware around a view that raises ``error``."""
    middleware = FledgeErrorMiddleware(lambda request: HttpResponse("unreachable"))

    def call(request):
        try:
            raise error
        except Exception as exception:  # noqa: BLE001 - handed on as Django does
            return middleware.process_exception(request, exception)

    return call


class TestFamily:
    @pytest.mark.parametrize(
        ("error", "status"),
        [
            (LearningError("The course is closed."), 400),
            (ComplianceError("Give a reason."), 400),
            (CertificateError("Already replaced."), 400),
            (InvalidSubmission("Unknown question."), 400),
            (CourseNotReady(), 409),
            (FledgeError("Slow down.", status=429), 429),
        ],
    )
    def test_each_error_carries_its_message_and_status(self, error, status):
        assert isinstance(error, FledgeError)
        assert error.status == status
        assert str(error) == error.message

    def test_invalid_submission_is_still_a_value_error(self):
        assert isinstance(InvalidSubmission("x"), ValueError)

    def test_course_not_ready_says_why_by_default(self):
        assert CourseNotReady().message == NO_LIVE_LESSON


class TestAnswers:
    def test_a_page_shows_the_message_with_the_status(self, rf):
        response = error_response(
            rf.get("/"), LearningError("The course is closed."), back_url="/courses/"
        )

        assert response.status_code == 400
        assert b"The course is closed." in response.content
        assert b'href="/courses/"' in response.content

    def test_json_callers_get_a_problem_document(self, rf):
        request = rf.get("/", HTTP_ACCEPT="application/json")

        response = error_response(request, CourseNotReady())

        assert response.status_code == 409
        assert response["Content-Type"] == PROBLEM_JSON
        body = json.loads(response.content)
        assert body["status"] == 409
        assert body["detail"] == NO_LIVE_LESSON
        assert body["title"]

    def test_api_paths_always_get_json(self, rf):
        response = error_response(rf.get("/api/v1/anything"), FledgeError("No."))

        assert response["Content-Type"] == PROBLEM_JSON


class TestMiddleware:
    def test_an_uncaught_refusal_is_its_4xx_not_a_500(self, rf):
        request = rf.get("/somewhere/", HTTP_REFERER="http://testserver/courses/knots/")

        response = raising(ComplianceError("Give a reason."))(request)

        assert response.status_code == 400
        assert b"Give a reason." in response.content
        assert b'href="/courses/knots/"' in response.content

    def test_go_back_never_leads_off_the_site(self, rf):
        request = rf.get("/somewhere/", HTTP_REFERER="https://evil.example/phish")

        response = raising(LearningError("No."))(request)

        assert b"evil.example" not in response.content
        assert b'href="/"' in response.content

    def test_other_errors_are_left_to_django(self, rf):
        assert raising(KeyError("x"))(rf.get("/")) is None
