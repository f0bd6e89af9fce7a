"""Reactions to the product's changes: each writes its event to the outbox in the
change's own transaction and hands the deliveries to a worker on commit.

Connected by :meth:`api.apps.ApiConfig.ready`. The API is the top layer: it listens to
the feature apps, which know nothing of it. A receiver only hands over to
:mod:`api.webhooks.emitters`; it raises what the emitter raises, so a change whose
event cannot be written is rolled back with it rather than sent without it.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from certificates.models import Certificate
from compliance.models import Assignment, TrainingRequirement
from compliance.signals import assignments_created
from learner.models import Enrollment
from learner.signals import course_completed

from . import emitters
from .events import subscriptions_changed
from .models import WebhookSubscription
from .tasks import hand_over


@receiver(post_save, sender=Enrollment, dispatch_uid="fledge-webhooks-enrolment-saved")
def enrollment_saved(sender, instance, created, **kwargs) -> None:
    if created:
        hand_over(emitters.enrollment_created(instance))


@receiver(course_completed, dispatch_uid="fledge-webhooks-course-completed")
def enrollment_completed(sender, enrollment, **kwargs) -> None:
    hand_over(emitters.enrollment_completed(enrollment))


@receiver(post_save, sender=Certificate, dispatch_uid="fledge-webhooks-certificate-saved")
def certificate_saved(sender, instance, created, update_fields, **kwargs) -> None:
    """Issued when the row is created; revoked when a save sets ``revoked_at`` (the
    key makes a later save of a revoked certificate, a re-render, send nothing)."""
    if created:
        hand_over(emitters.certificate_issued(instance))
    if instance.revoked_at is not None and (update_fields is None or "revoked_at" in update_fields):
        hand_over(emitters.certificate_revoked(instance))


@receiver(assignments_created, dispatch_uid="fledge-webhooks-assignments-created")
def assignments_inserted(sender, rows, **kwargs) -> None:
    hand_over(emitters.assignments_created(rows))


@receiver(post_save, sender=Assignment, dispatch_uid="fledge-webhooks-assignment-saved")
def assignment_saved(sender, instance, created, update_fields, **kwargs) -> None:
    """A cycle credited with a completion (``compliance.services`` saves the
    completion's fields); the key sends it once per cycle."""
    completion = update_fields is None or "completed_on" in update_fields
    if instance.completed_on is not None and completion:
        hand_over(emitters.assignment_completed(instance))


@receiver(post_save, sender=TrainingRequirement, dispatch_uid="fledge-webhooks-requirement-saved")
def requirement_saved(sender, instance, created, **kwargs) -> None:
    hand_over(emitters.requirement_changed(instance, action="created" if created else "updated"))


@receiver(
    post_delete, sender=TrainingRequirement, dispatch_uid="fledge-webhooks-requirement-deleted"
)
def requirement_deleted(sender, instance, **kwargs) -> None:
    hand_over(emitters.requirement_changed(instance, action="deleted"))


@receiver(post_save, sender=WebhookSubscription, dispatch_uid="fledge-webhooks-subscription-saved")
@receiver(
    post_delete, sender=WebhookSubscription, dispatch_uid="fledge-webhooks-subscription-deleted"
)
def subscription_changed(sender, **kwargs) -> None:
    subscriptions_changed()
