"""Changes that alter anyone's permissions retire the cached permission sets."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save

from home.cache import bump_version


def _bump(**kwargs: object) -> None:
    bump_version("permissions")


def connect() -> None:
    User = get_user_model()
    for through in (User.groups.through, User.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_bump, sender=through, dispatch_uid=f"fledge-perms-{through.__name__}")
    for model in (Group, Permission):
        post_save.connect(_bump, sender=model, dispatch_uid=f"fledge-perms-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"fledge-perms-{model.__name__}")
