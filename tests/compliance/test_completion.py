"""Completions credit the open cycle: completing the course completes it (by the site's
time zone) and sends the confirmation; and an exemption needs a reason."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core import mail
from django.core.management import call_command

import pytest

from compliance import services
from compliance.models import Assignment, NotificationLog
from learner import services as learning
from learner.models import Enrollment
from tests.compliance.factories import synced_requirement
from tests.learner.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db
D = date.fromisoformat


class TestCompletion:
    def complete_course(self, enrollment, when: datetime):
        enrollment.completed_at = when
        enrollment.status = Enrollment.Status.ACTIVE
        enrollment.save()
        learning.course_complete(enrollment=enrollment, as_of=when)

    def test_completing_the_course_completes_the_open_cycle_and_confirms(
        self, staff, django_capture_on_commit_callbacks
    ):
        learner = UserFactory()
        req = synced_requirement(staff, learner, as_of=D("2026-01-15"))
        enrollment = EnrollmentFactory(user=learner, course=req.course)
        self.complete_course(enrollment, datetime(2026, 2, 20, 9, tzinfo=ZoneInfo("UTC")))
        row = Assignment.objects.get(user=learner)
        assert row.completed_on == D("2026-02-20")
        assert row.is_late()
        assert row.expires_on == D("2027-02-20")
        assert row.enrollment == enrollment
        log = NotificationLog.objects.get(kind="completed")
        assert log.assignment == row
        with django_capture_on_commit_callbacks(execute=True):
            call_command("compliance_daily", "--as-of", "2026-02-21", stdout=io.StringIO())
        assert any("Completed:" in m.subject for m in mail.outbox)

    def test_the_confirmation_goes_out_as_soon_as_the_completion_commits(
        self, staff, django_capture_on_commit_callbacks
    ):
        learner = UserFactory(email="lee@example.com")
        req = synced_requirement(staff, learner, as_of=D("2026-01-15"))
        enrollment = EnrollmentFactory(user=learner, course=req.course)
        with django_capture_on_commit_callbacks(execute=True):
            self.complete_course(enrollment, datetime(2026, 1, 20, 9, tzinfo=ZoneInfo("UTC")))
        (message,) = [m for m in mail.outbox if "Completed:" in m.subject]
        assert message.to == ["lee@example.com"]
        assert NotificationLog.objects.get(kind="completed").sent_at is not None

    def test_completion_counts_by_the_site_time_zone(self, staff, settings):
        settings.TIME_ZONE = "America/New_York"
        learner = UserFactory()
        req = synced_requirement(staff, learner, as_of=D("2026-01-15"))
        enrollment = EnrollmentFactory(user=learner, course=req.course)
        # 03:00 UTC on the 15th is still the 14th (the due date) in New York.
        self.complete_course(enrollment, datetime(2026, 2, 15, 3, tzinfo=ZoneInfo("UTC")))
        row = Assignment.objects.get(user=learner)
        assert row.completed_on == D("2026-02-14")
        assert not row.is_late()

    def test_completion_outside_any_open_cycle_does_not_count(self, staff):
        learner = UserFactory()
        req = synced_requirement(staff, learner, as_of=D("2026-01-15"))
        Assignment.objects.filter(user=learner).update(
            completed_on=D("2026-02-10"), expires_on=D("2027-02-10")
        )
        retake = EnrollmentFactory(user=learner, course=req.course)
        self.complete_course(retake, datetime(2026, 6, 1, 12, tzinfo=ZoneInfo("UTC")))
        assert Assignment.objects.get(user=learner).completed_on == D("2026-02-10")

    def test_exemption_needs_a_reason(self, staff):
        admin = UserFactory()
        learner = UserFactory()
        synced_requirement(staff, learner, as_of=D("2026-01-15"))
        row = Assignment.objects.get(user=learner)
        with pytest.raises(services.ComplianceError):
            services.assignment_exempt(assignment=row, by=admin, reason=" ")
        services.assignment_exempt(assignment=row, by=admin, reason="On sabbatical")
        row.refresh_from_db()
        assert (row.exempt, row.exemption_reason, row.exempted_by) == (True, "On sabbatical", admin)
