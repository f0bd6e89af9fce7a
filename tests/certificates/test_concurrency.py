"""Numbers and once-only issue hold when completions arrive at the same moment
(PostgreSQL only: SQLite's in-memory test database is a single connection)."""

from django.utils import timezone

import pytest

from certificates import services
from certificates.models import Certificate, format_number
from learner import services as learner_services
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import EnrollmentFactory
from tests.parallel import requires_postgresql, run_in_parallel


@requires_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestParallelIssue:
    @pytest.fixture(autouse=True)
    def no_rendering(self, monkeypatch):
        """These tests are about rows, not files: skip the PDF renders queued on commit."""
        monkeypatch.setattr(services, "_enqueue_render", lambda certificate: None)

    def test_twenty_parallel_completions_get_twenty_consecutive_numbers(self):
        course = CoursePageFactory()
        enrollments = [EnrollmentFactory(course=course) for _ in range(20)]

        run_in_parallel(
            lambda enrollment: learner_services.course_complete(enrollment=enrollment),
            enrollments,
        )

        year = timezone.localdate().year
        numbers = sorted(Certificate.objects.values_list("number", flat=True))
        assert numbers == [format_number(year, n) for n in range(1, 21)]

    def test_the_same_enrollment_issued_in_parallel_gets_one_certificate(self):
        enrollment = learner_services.course_complete(enrollment=EnrollmentFactory())
        Certificate.objects.all().delete()

        results = run_in_parallel(
            lambda _: services.certificate_issue(enrollment=enrollment).pk, range(8)
        )

        assert len(set(results)) == 1
        assert Certificate.objects.filter(enrollment=enrollment).count() == 1
