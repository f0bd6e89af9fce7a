"""Changes that alter anyone's permissions retire the cached permission sets; a person
deactivated or reactivated, by whatever path, is signed out and announced.

Connected by importing this module (``AccountsConfig.ready``), like every app's
receivers.
"""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from base.cache import bump_version

from .services.sessions import user_sign_out_everywhere
from .signals import user_deactivated, user_reactivated

logger = logging.getLogger(__name__)
User = get_user_model()


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="fledge-perms-user-groups")
@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="fledge-perms-user-perms")
@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="fledge-perms-group-perms")
@receiver(post_save, sender=Group, dispatch_uid="fledge-perms-group-saved")
@receiver(post_delete, sender=Group, dispatch_uid="fledge-perms-group-deleted")
@receiver(post_save, sender=Permission, dispatch_uid="fledge-perms-permission-saved")
@receiver(post_delete, sender=Permission, dispatch_uid="fledge-perms-permission-deleted")
def permissions_changed(**kwargs: object) -> None:
    """Group membership, a group's or a user's permissions, or a group or permission
    itself changed: every cached permission set is retired."""
    bump_version("permissions")


@receiver(pre_save, sender=User, dispatch_uid="fledge-user-activity-before")
def remember_activity(sender, instance, update_fields=None, **kwargs) -> None:
    """Note whether the saved person was active before this save (one query, and none
    for a save that leaves ``is_active`` out, such as the last-login stamp)."""
    instance._fledge_was_active = None
    if instance.pk is None or (update_fields is not None and "is_active" not in update_fields):
        return
    previous = User.objects.filter(pk=instance.pk).values_list("is_active", flat=True)
    instance._fledge_was_active = previous.first()


@receiver(post_save, sender=User, dispatch_uid="fledge-user-activity-after")
def activity_changed(sender, instance, created=False, **kwargs) -> None:
    """A person deactivated (SCIM, the Wagtail admin, the Django admin, the shell) is
    signed out everywhere at once and :data:`user_deactivated` is sent; reactivated,
    :data:`user_reactivated`. Both in the saving transaction."""
    was_active = getattr(instance, "_fledge_was_active", None)
    if created or was_active is None or was_active == instance.is_active:
        return
    if instance.is_active:
        logger.info("Reactivated user %s", instance.pk)
        user_reactivated.send(sender=User, user=instance)
    else:
        ended = user_sign_out_everywhere(user=instance)
        logger.info("Deactivated user %s (%d sessions ended)", instance.pk, ended)
        user_deactivated.send(sender=User, user=instance)
