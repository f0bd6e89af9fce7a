"""Issuing: once per completed enrolment, whatever completed it, with numbers and codes."""

import re
import uuid
from datetime import UTC, datetime

from django.db import IntegrityError, transaction

import pytest

from certificates import services, tasks
from certificates.models import Certificate, CertificateSequence
from learner import services as learner_services
from learner.models import Enrollment
from tests.catalog.factories import CoursePageFactory
from tests.certificates.factories import completed_enrollment, issued_certificate
from tests.learner.factories import EnrollmentFactory, UserFactory, answer_key, small_course

pytestmark = pytest.mark.django_db

Status = Enrollment.Status


class TestIssueOnCompletion:
    def test_completing_a_course_issues_one_certificate(self):
        user = UserFactory(first_name="Ada", last_name="Lovelace")
        enrollment = completed_enrollment(user=user, title="Analytical Engines")

        certificate = Certificate.objects.get(enrollment=enrollment)
        assert certificate.user == user
        assert certificate.course == enrollment.course
        assert certificate.holder_name == "Ada Lovelace"
        assert certificate.course_title == "Analytical Engines"
        assert certificate.issued_at is not None
        assert certificate.expires_at is None  # the course sets no validity
        assert certificate.status == Certificate.Status.VALID

    def test_working_through_lessons_and_quiz_issues_the_certificate(self):
        course = small_course()
        enrollment = EnrollmentFactory(course=course.course)
        for lesson in (course.reading, course.last):
            learner_services.lesson_complete(enrollment=enrollment, lesson=lesson)
        assert not Certificate.objects.exists()

        learner_services.quiz_submit(
            enrollment=enrollment,
            lesson=course.quiz_lesson,
            data=answer_key(course.quiz_lesson),
            token=str(uuid.uuid4()),
        )

        enrollment.refresh_from_db()
        assert enrollment.status == Status.COMPLETED
        assert Certificate.objects.filter(enrollment=enrollment).count() == 1

    def test_a_course_without_certificates_issues_none(self):
        enrollment = completed_enrollment(issues_certificate=False)

        assert enrollment.status == Status.COMPLETED
        assert not Certificate.objects.exists()
        assert services.certificate_issue(enrollment=enrollment) is None

    def test_an_enrollment_that_is_not_completed_gets_none(self):
        enrollment = EnrollmentFactory()

        assert services.certificate_issue(enrollment=enrollment) is None
        assert not Certificate.objects.exists()

    def test_username_is_printed_when_the_learner_has_no_name(self):
        user = UserFactory(username="nameless", first_name="", last_name="")

        assert issued_certificate(user=user).holder_name == "nameless"


class TestIssueOnce:
    def test_double_completion_issues_one_certificate(self):
        enrollment = completed_enrollment()

        again = learner_services.course_complete(enrollment=enrollment)
        learner_services.progress_recompute(enrollment=again)

        assert Certificate.objects.count() == 1

    def test_retried_issue_returns_the_certificate_already_issued(self):
        enrollment = completed_enrollment()
        first = Certificate.objects.get()

        retried = [services.certificate_issue(enrollment=enrollment) for _ in range(3)]

        assert retried == [first, first, first]
        assert Certificate.objects.count() == 1
        assert CertificateSequence.objects.get().last_number == 1

    def test_retake_of_a_course_is_a_new_enrollment_with_its_own_certificate(self):
        first = completed_enrollment()
        retake = completed_enrollment(course=first.course, user=first.user)

        assert Certificate.objects.filter(user=first.user).count() == 2
        assert {c.enrollment_id for c in Certificate.objects.all()} == {first.pk, retake.pk}

    def test_the_database_refuses_a_second_original_for_an_enrollment(self):
        certificate = issued_certificate()
        duplicate = Certificate(
            enrollment=certificate.enrollment,
            user=certificate.user,
            course=certificate.course,
            number="FLG-2026-999999",
            holder_name="Copy",
            course_title="Copy",
            issued_at=certificate.issued_at,
        )

        with pytest.raises(IntegrityError), transaction.atomic():
            duplicate.save()

    def test_issue_enqueues_the_render_after_commit_and_a_rerun_renders_nothing(
        self, django_capture_on_commit_callbacks, settings
    ):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            certificate = issued_certificate()
        assert len(callbacks) == 1
        certificate.refresh_from_db()
        assert certificate.pdf.name.startswith(f"certificates/{certificate.issued_at:%Y}/")
        assert (settings.PRIVATE_MEDIA_ROOT / certificate.pdf.name).is_file()
        rendered_at = certificate.rendered_at

        tasks.render_certificate.delay(certificate.pk)  # a retried task

        certificate.refresh_from_db()
        assert certificate.rendered_at == rendered_at

    def test_render_task_for_a_deleted_certificate_does_nothing(self):
        tasks.render_certificate.delay(987654)


class TestNumbersAndCodes:
    def test_numbers_count_up_within_the_year_of_issue(self):
        moment = datetime(2026, 3, 1, 12, tzinfo=UTC)
        numbers = [
            issued_certificate(as_of=moment).number,
            issued_certificate(as_of=moment).number,
        ]
        following_year = issued_certificate(as_of=datetime(2027, 1, 2, 12, tzinfo=UTC)).number

        assert numbers == ["FLG-2026-000001", "FLG-2026-000002"]
        assert following_year == "FLG-2027-000001"

    def test_codes_are_unguessable_url_safe_and_distinct(self):
        codes = {issued_certificate().verification_code for _ in range(5)}

        assert len(codes) == 5
        for code in codes:
            assert re.fullmatch(r"[A-Za-z0-9_-]{22}", code)

    def test_issue_time_comes_from_as_of(self):
        course = CoursePageFactory()
        moment = datetime(2026, 5, 4, 9, 30, tzinfo=UTC)
        enrollment = completed_enrollment(course=course, as_of=moment)

        assert Certificate.objects.get(enrollment=enrollment).issued_at == enrollment.completed_at
