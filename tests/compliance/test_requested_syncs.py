"""A sync is requested in the transaction of the change that needs it, so a lost
hand-over to the worker (broker down, worker killed) is done by the per-minute sweep."""

from django.core.management import call_command

import pytest

from compliance import services
from compliance.models import Assignment, TrainingRequirement
from compliance.services import assignments as assignment_services
from tests.compliance.factories import GroupFactory, TrainingRequirementFactory
from tests.learner.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def requirement(django_capture_on_commit_callbacks):
    team = GroupFactory(name="Sales")
    with django_capture_on_commit_callbacks(execute=True):
        requirement = TrainingRequirementFactory(audience_groups=[team])
    requirement.refresh_from_db()
    assert requirement.sync_requested_at is None, "the requirement's own sync ran"
    return requirement


def quiet_sweep() -> None:
    call_command("sweep", stdout=open("/dev/null", "w"))  # noqa: SIM115


class TestRequestedSyncs:
    def test_a_joiner_whose_sync_was_lost_is_assigned_by_the_sweep(
        self, requirement, django_capture_on_commit_callbacks
    ):
        user = UserFactory()
        with django_capture_on_commit_callbacks(execute=False) as lost:
            user.groups.add(requirement.audience_groups.get())
        assert lost, "the change handed a sync over on commit"
        assert not Assignment.objects.filter(user=user).exists()
        assert TrainingRequirement.objects.get(pk=requirement.pk).sync_requested_at

        quiet_sweep()

        assert Assignment.objects.filter(user=user, requirement=requirement).count() == 1
        assert TrainingRequirement.objects.get(pk=requirement.pk).sync_requested_at is None
        quiet_sweep()
        assert Assignment.objects.filter(user=user).count() == 1, "a second sweep adds nothing"

    def test_the_handed_over_sync_clears_the_request(
        self, requirement, django_capture_on_commit_callbacks
    ):
        user = UserFactory()
        with django_capture_on_commit_callbacks(execute=True):
            user.groups.add(requirement.audience_groups.get())
        assert Assignment.objects.filter(user=user).count() == 1
        assert TrainingRequirement.objects.get(pk=requirement.pk).sync_requested_at is None
        assert services.requirements_sync_requested() == 0, "nothing left for the sweep"

    def test_a_request_made_while_a_sync_runs_is_kept_for_the_next(self, requirement, monkeypatch):
        """A change committed while the sync was running may not be in what it read:
        its request stays, and the next sweep syncs again."""
        services.requirements_request_sync(requirement_ids=[requirement.pk])
        real_sync = services.assignments_sync_requirement

        def sync_during_a_change(requirement, **kwargs):
            result = real_sync(requirement, **kwargs)
            services.requirements_request_sync(requirement_ids=[requirement.pk])
            return result

        monkeypatch.setattr(
            assignment_services, "assignments_sync_requirement", sync_during_a_change
        )
        services.requirement_sync_requested(requirement_id=requirement.pk)
        assert TrainingRequirement.objects.get(pk=requirement.pk).sync_requested_at

    def test_a_requirement_deleted_before_its_sync_is_skipped(self, requirement):
        requirement_id = requirement.pk
        requirement.delete()
        assert services.requirement_sync_requested(requirement_id=requirement_id) is None
