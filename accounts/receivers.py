"""Changes that alter anyone's permissions retire the cached permission sets; a person
deactivated or reactivated, by whatever path, is signed out and announced; sign-ins,
sign-outs, refused sign-ins and second-factor changes go into the audit trail.

Connected by importing this module (``AccountsConfig.ready``), like every app's
receivers.
"""

import logging

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset

import audit
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


# --- The audit trail: sign-in, sign-out, failed sign-in, second factors ---------------


@receiver(user_logged_in, dispatch_uid="fledge-audit-signed-in")
def audit_signed_in(sender, request, user, **kwargs) -> None:
    """A sign-in, by any path (password, single sign-on, the admin), in the trail."""
    backend = getattr(user, "backend", "") or ""
    audit.record(
        actor=user,
        action="fledge.account.sign_in",
        obj=user,
        payload={"backend": backend.rsplit(".", 1)[-1]},
        subject=user,
    )


@receiver(user_logged_out, dispatch_uid="fledge-audit-signed-out")
def audit_signed_out(sender, request, user, **kwargs) -> None:
    """A sign-out (``user`` is None when the session had nobody signed in)."""
    if user is not None:
        audit.record(
            actor=user, action="fledge.account.sign_out", obj=user, payload={}, subject=user
        )


@receiver(user_login_failed, dispatch_uid="fledge-audit-sign-in-failed")
def audit_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    """A refused sign-in: the name tried is kept only as a keyed digest (it may be a
    person's email address, or a stranger's guess)."""
    tried = credentials.get("username") or credentials.get("email") or ""
    audit.record(
        actor=None,
        action="fledge.account.sign_in_failed",
        obj=None,
        payload={"identifier_digest": audit.text_digest(str(tried).strip().lower())},
    )


@receiver(authenticator_added, dispatch_uid="fledge-audit-mfa-added")
@receiver(authenticator_removed, dispatch_uid="fledge-audit-mfa-removed")
@receiver(authenticator_reset, dispatch_uid="fledge-audit-mfa-reset")
def audit_second_factor_changed(sender, request, user, authenticator, signal, **kwargs) -> None:
    """A second factor added, removed or reset (recovery codes regenerated)."""
    change = {authenticator_added: "added", authenticator_removed: "removed"}.get(signal, "reset")
    audit.record(
        actor=user,
        action="fledge.account.mfa_change",
        obj=user,
        payload={"change": change, "type": authenticator.type},
        subject=user,
    )
