"""Signal receivers: completions credit cycles; audience changes re-sync assignments;
a person deactivated has their open cycles closed, and reopened when reactivated; a
course's material change reopens what was completed on its older versions; a
requirement deleted (from the admin or any other way) is recorded in the audit trail
before its rows go.

Receivers only hand over to services or tasks. A sync is requested in the transaction
of the change (``TrainingRequirement.sync_requested_at``) and handed to a worker on
commit, so a group change never waits for (or fails with) the sync, and a hand-over
lost with the broker or a worker is done by the per-minute sweep.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver

from accounts.signals import user_deactivated, user_reactivated
from base.transactions import after_commit
from catalog.signals import course_materially_changed
from learner.signals import course_completed

from . import audit_events, selectors, services, tasks
from .models import TrainingRequirement


@receiver(course_completed)
def credit_completion(sender, enrollment, **kwargs) -> None:
    """Credit the open cycles, and send their completion confirmations once the
    completion is committed rather than at the next daily run."""
    if services.assignments_complete_for(enrollment=enrollment):
        after_commit(tasks.send_pending.delay)


def _enqueue_sync(requirement_ids) -> None:
    for requirement_id in services.requirements_request_sync(requirement_ids=requirement_ids):
        after_commit(tasks.sync_requirement.delay, requirement_id)


@receiver(post_save, sender=TrainingRequirement)
def requirement_saved(sender, instance, **kwargs) -> None:
    _enqueue_sync([instance.pk])


@receiver(
    pre_delete, sender=TrainingRequirement, dispatch_uid="fledge-compliance-requirement-delete"
)
def requirement_deleting(sender, instance, **kwargs) -> None:
    """Every deletion of a requirement (the admin's, a queryset's, the shell's) is
    recorded while its rule, audience and assignments can still be read, in the
    deletion's transaction; by the admin user when there is one."""
    audit_events.requirement_deleted(instance, by=audit_events.acting_user_id())


@receiver(m2m_changed, sender=TrainingRequirement.audience_groups.through)
@receiver(m2m_changed, sender=TrainingRequirement.audience_users.through)
def audience_changed(sender, instance, action, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and isinstance(
        instance, TrainingRequirement
    ):
        _enqueue_sync([instance.pk])


@receiver(m2m_changed, sender=get_user_model().groups.through)
def group_membership_changed(sender, instance, action, pk_set, reverse, **kwargs) -> None:
    """A user joined or left a group (from either side of the relation)."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # group.user_set changed: instance is the Group
        group_ids = [instance.pk]
    elif pk_set:
        group_ids = list(pk_set)
    else:  # user.groups.clear(): any group may have been left
        group_ids = None
    requirements = TrainingRequirement.objects.filter(active=True)
    if group_ids is not None:
        requirements = requirements.filter(audience_groups__in=group_ids)
    _enqueue_sync(requirements.values_list("pk", flat=True).distinct())


@receiver(user_deactivated, dispatch_uid="fledge-compliance-user-deactivated")
def person_deactivated(sender, user, **kwargs) -> None:
    """Their open cycles close as no longer required at once, in the deactivation's
    transaction: no reminder goes to someone who has left."""
    services.assignments_close_for_person(user=user)


@receiver(user_reactivated, dispatch_uid="fledge-compliance-user-reactivated")
def person_reactivated(sender, user, **kwargs) -> None:
    """They are in their audiences again: the sync reopens what deactivation closed
    and assigns whatever became required meanwhile."""
    _enqueue_sync(selectors.requirement_ids_for_person(user=user))


@receiver(course_materially_changed, dispatch_uid="fledge-compliance-material-change")
def course_changed_materially(sender, course, revision, note, **kwargs) -> None:
    """Completions on older revisions no longer count: new cycles, and an email each."""
    services.assignments_reopen_for_material_change(course=course, revision=revision, note=note)
