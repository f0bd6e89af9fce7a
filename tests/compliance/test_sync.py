"""Assignments follow the audience: syncing assigns, closes and reopens cycles, credits
recent completions, opens renewals, and moves due dates when a rule is edited."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from compliance import services
from compliance.models import Assignment
from learner.models import Enrollment
from tests.compliance.factories import requirement, synced_requirement
from tests.learner.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db
D = date.fromisoformat


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
        req = synced_requirement(staff, stays, leaves, done, as_of=D("2026-01-15"))
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
        req = synced_requirement(staff, learner, as_of=D("2026-01-15"))
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


class TestEditedRules:
    def test_an_edited_rule_moves_open_first_cycle_due_dates_only(self, staff):
        waiting, done = UserFactory(), UserFactory()
        req = synced_requirement(staff, waiting, done, as_of=D("2026-01-15"), due_days=30)
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
