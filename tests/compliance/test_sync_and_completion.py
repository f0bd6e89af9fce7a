"""Assignments follow the audience; completions credit the open cycle."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command

import pytest

from compliance import services
from compliance.models import Assignment, NotificationLog, TrainingRequirement
from learner import services as learning
from learner.models import Enrollment
from tests.catalog.factories import CoursePageFactory
from tests.learner.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def requirement(**fields) -> TrainingRequirement:
    defaults = {
        "name": "Security",
        "course": CoursePageFactory(),
        "due_rule": "relative",
        "due_days": 30,
        "recurrence_months": 12,
        "window_days": 30,
    }
    return TrainingRequirement.objects.create(**{**defaults, **fields})


@pytest.fixture
def staff():
    return Group.objects.create(name="Staff")


class TestSync:
    def test_assigns_everyone_in_the_audience_once(self, staff):
        people = [UserFactory() for _ in range(3)]
        staff.user_set.add(*people[:2])
        req = requirement()
        req.audience_groups.add(staff)
        req.audience_users.add(people[2], people[0])
        first = services.assignments_sync(requirement=req, as_of=D("2026-01-15"))
        again = services.assignments_sync(requirement=req, as_of=D("2026-01-15"))
        assert first.created == 3
        assert again.created == again.renewals == again.closed == 0
        rows = Assignment.objects.filter(requirement=req)
        assert {r.user_id for r in rows} == {p.pk for p in people}
        assert {r.due_on for r in rows} == {D("2026-02-14")}

    def test_inactive_users_and_requirements_are_left_out(self, staff):
        gone = UserFactory(is_active=False)
        staff.user_set.add(gone)
        req = requirement()
        req.audience_groups.add(staff)
        assert services.assignments_sync(requirement=req, as_of=D("2026-01-15")).created == 0
        req.active = False
        req.save()
        staff.user_set.add(UserFactory())
        assert services.assignments_sync(as_of=D("2026-01-15")).created == 0

    def test_leaving_closes_open_work_and_keeps_history(self, staff):
        stays, leaves, done = UserFactory(), UserFactory(), UserFactory()
        staff.user_set.add(stays, leaves, done)
        req = requirement()
        req.audience_groups.add(staff)
        services.assignments_sync(requirement=req, as_of=D("2026-01-15"))
        Assignment.objects.filter(user=done).update(completed_on=D("2026-01-20"))
        staff.user_set.remove(leaves, done)
        result = services.assignments_sync(requirement=req, as_of=D("2026-02-01"))
        assert result.closed == 1
        assert Assignment.objects.get(user=leaves).closed_on == D("2026-02-01")
        assert Assignment.objects.get(user=done).closed_on is None
        assert Assignment.objects.count() == 3

        staff.user_set.add(leaves)
        assert services.assignments_sync(requirement=req, as_of=D("2026-02-02")).reopened == 1
        assert Assignment.objects.get(user=leaves).closed_on is None

    def test_group_change_triggers_a_sync(self, staff, django_capture_on_commit_callbacks):
        req = requirement()
        req.audience_groups.add(staff)
        newcomer = UserFactory()
        with django_capture_on_commit_callbacks(execute=True):
            newcomer.groups.add(staff)
        assert Assignment.objects.filter(user=newcomer, requirement=req).exists()

    def test_recent_completion_is_credited_for_the_first_cycle(self, staff):
        req = requirement()
        learner = UserFactory()
        EnrollmentFactory(
            user=learner,
            course=req.course,
            status=Enrollment.Status.COMPLETED,
            completed_at=datetime(2025, 6, 1, 12, tzinfo=ZoneInfo("UTC")),
        )
        staff.user_set.add(learner)
        req.audience_groups.add(staff)
        result = services.assignments_sync(requirement=req, as_of=D("2026-01-15"))
        row = Assignment.objects.get(user=learner)
        assert result.credited == 1
        assert (row.completed_on, row.expires_on) == (D("2025-06-01"), D("2026-06-01"))

    def test_renewal_opens_with_its_window_and_starts_fresh(self, staff):
        learner = UserFactory()
        staff.user_set.add(learner)
        req = requirement()
        req.audience_groups.add(staff)
        services.assignments_sync(requirement=req, as_of=D("2026-01-15"))
        Assignment.objects.filter(user=learner).update(
            completed_on=D("2026-02-10"), expires_on=D("2027-02-10")
        )
        assert services.assignments_sync(requirement=req, as_of=D("2027-01-10")).renewals == 0
        assert services.assignments_sync(requirement=req, as_of=D("2027-01-11")).renewals == 1
        renewal = Assignment.objects.get(user=learner, cycle=2)
        assert (renewal.opens_on, renewal.due_on, renewal.previous_expires_on) == (
            D("2027-01-11"),
            D("2027-02-10"),
            D("2027-02-10"),
        )
        assert services.assignments_sync(requirement=req, as_of=D("2027-01-12")).renewals == 0


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
        staff.user_set.add(learner)
        req = requirement()
        req.audience_groups.add(staff)
        services.assignments_sync(requirement=req, as_of=D("2026-01-15"))
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
        staff.user_set.add(learner)
        req = requirement()
        req.audience_groups.add(staff)
        services.assignments_sync(requirement=req, as_of=D("2026-01-15"))
        enrollment = EnrollmentFactory(user=learner, course=req.course)
        with django_capture_on_commit_callbacks(execute=True):
            self.complete_course(enrollment, datetime(2026, 1, 20, 9, tzinfo=ZoneInfo("UTC")))
        (message,) = [m for m in mail.outbox if "Completed:" in m.subject]
        assert message.to == ["lee@example.com"]
        assert NotificationLog.objects.get(kind="completed").sent_at is not None

    def test_completion_counts_by_the_site_time_zone(self, staff, settings):
        settings.TIME_ZONE = "America/New_York"
        learner = UserFactory()
        staff.user_set.add(learner)
        req = requirement()
        req.audience_groups.add(staff)
        services.assignments_sync(requirement=req, as_of=D("2026-01-15"))
        enrollment = EnrollmentFactory(user=learner, course=req.course)
        # 03:00 UTC on the 15th is still the 14th (the due date) in New York.
        self.complete_course(enrollment, datetime(2026, 2, 15, 3, tzinfo=ZoneInfo("UTC")))
        row = Assignment.objects.get(user=learner)
        assert row.completed_on == D("2026-02-14")
        assert not row.is_late()

    def test_completion_outside_any_open_cycle_does_not_count(self, staff):
        learner = UserFactory()
        staff.user_set.add(learner)
        req = requirement()
        req.audience_groups.add(staff)
        services.assignments_sync(requirement=req, as_of=D("2026-01-15"))
        Assignment.objects.filter(user=learner).update(
            completed_on=D("2026-02-10"), expires_on=D("2027-02-10")
        )
        retake = EnrollmentFactory(user=learner, course=req.course)
        self.complete_course(retake, datetime(2026, 6, 1, 12, tzinfo=ZoneInfo("UTC")))
        assert Assignment.objects.get(user=learner).completed_on == D("2026-02-10")

    def test_exemption_needs_a_reason(self, staff):
        admin = UserFactory()
        learner = UserFactory()
        staff.user_set.add(learner)
        req = requirement()
        req.audience_groups.add(staff)
        services.assignments_sync(requirement=req, as_of=D("2026-01-15"))
        row = Assignment.objects.get(user=learner)
        with pytest.raises(services.ComplianceError):
            services.assignment_exempt(assignment=row, by=admin, reason=" ")
        services.assignment_exempt(assignment=row, by=admin, reason="On sabbatical")
        row.refresh_from_db()
        assert (row.exempt, row.exemption_reason, row.exempted_by) == (True, "On sabbatical", admin)


class TestEditedRules:
    def test_an_edited_rule_moves_open_first_cycle_due_dates_only(self, staff):
        waiting, done = UserFactory(), UserFactory()
        staff.user_set.add(waiting, done)
        req = requirement(due_days=30)
        req.audience_groups.add(staff)
        services.assignments_sync(requirement=req, as_of=D("2026-01-15"))
        Assignment.objects.filter(user=done).update(
            completed_on=D("2026-01-20"), expires_on=D("2027-01-20")
        )
        req.due_days = 60
        req.save()
        result = services.assignments_sync(requirement=req, as_of=D("2026-01-16"))
        assert result.rescheduled == 1
        assert Assignment.objects.get(user=waiting).due_on == D("2026-03-16")
        assert Assignment.objects.get(user=done).due_on == D("2026-02-14")
        again = services.assignments_sync(requirement=req, as_of=D("2026-01-17"))
        assert again.rescheduled == 0
