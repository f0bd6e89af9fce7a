"""Changes that alter anyone's permissions retire the cached permission sets.

Connected by importing this module (``AccountsConfig.ready``), like every app's
receivers.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from base.cache import bump_version

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
