"""The actions of Django's admin, all a superuser's but signing in."""

from collections.abc import Callable

from tests.learner.factories import PASSWORD

from ..conftest import ANONYMOUS, SUPERUSER, World
from ..world_urls import rev
from .action import NEW_PASSWORD, Action, password_change_form


def django_admin_actions(
    app_label: str,
    model: str,
    get_pk: Callable[[World], int],
    change_data: Callable[[World], dict],
) -> list[Action]:
    """The changelist (bulk actions), add, change and delete of one django-admin model.
    (The controls cover the deletions; add and change forms are Django's own.)"""
    prefix = f"admin:{app_label}_{model}"
    label = f"django-admin-{model}"
    model_label = f"{app_label}.{model}"
    return [
        Action(
            key=f"{prefix}_changelist",
            label=f"{label}-bulk-delete",
            role=SUPERUSER,
            url=rev(f"{prefix}_changelist"),
            data=lambda w: {
                "action": "delete_selected",
                "_selected_action": [str(get_pk(w))],
                "post": "yes",
            },
            changes=model_label,
            get_status=200,
        ),
        Action(
            key=f"{prefix}_add",
            label=f"{label}-add",
            role=SUPERUSER,
            url=rev(f"{prefix}_add"),
            data=change_data,
            get_status=403 if app_label == "axes" else 200,
        ),
        Action(
            key=f"{prefix}_change",
            label=f"{label}-change",
            role=SUPERUSER,
            url=rev(f"{prefix}_change", get_pk),
            data=change_data,
            get_status=200,
        ),
        Action(
            key=f"{prefix}_delete",
            label=f"{label}-delete",
            role=SUPERUSER,
            url=rev(f"{prefix}_delete", get_pk),
            data=lambda w: {"post": "yes"},
            changes=model_label,
            get_status=200,
        ),
    ]


DJANGO_ADMIN_ACTIONS = [
    Action(
        key="admin:login",
        label="django-admin-login",
        role=ANONYMOUS,
        url=rev("admin:login"),
        data=lambda w: {"username": w.users[SUPERUSER].username, "password": PASSWORD},
        get_status=302,
        # Sends everyone to the site's sign-in page (config/urls.py): signs no one in.
        changes=None,
    ),
    Action(
        key="admin:logout", label="django-admin-logout", role=SUPERUSER, url=rev("admin:logout")
    ),
    Action(
        key="admin:password_change",
        label="django-admin-password",
        role=SUPERUSER,
        url=rev("admin:password_change"),
        data=password_change_form,
        get_status=200,
        changes="auth.user",
    ),
    Action(
        key="admin:auth_user_password_change",
        label="django-admin-set-user-password",
        role=SUPERUSER,
        url=rev("admin:auth_user_password_change", lambda w: w.me.user.pk),
        data=lambda w: {
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
        get_status=200,
        changes="auth.user",
    ),
    Action(
        key="admin:taggit_tag_merge_tags",
        label="django-admin-merge-tags",
        role=SUPERUSER,
        url=rev("admin:taggit_tag_merge_tags"),
        data=lambda w: {"new_tag_name": "merged", "selected_tag_ids": str(w.tag.pk)},
        get_status=200,
    ),
    *django_admin_actions(
        "wagtaildocs", "document", lambda w: w.document.pk, lambda w: {"title": "Renamed"}
    ),
    *django_admin_actions(
        "wagtailimages", "image", lambda w: w.image.pk, lambda w: {"title": "Renamed"}
    ),
    *django_admin_actions(
        "taggit", "tag", lambda w: w.tag.pk, lambda w: {"name": "renamed", "slug": "renamed"}
    ),
    *django_admin_actions(
        "auth", "group", lambda w: w.instructors_group.pk, lambda w: {"name": "Renamed"}
    ),
    *django_admin_actions(
        "auth",
        "user",
        lambda w: w.other.user.pk,
        lambda w: {"username": "renamed", "is_superuser": "on", "is_staff": "on"},
    ),
    *django_admin_actions(
        "axes", "accessattempt", lambda w: w.axes["attempt"].pk, lambda w: {"username": "x"}
    ),
    *django_admin_actions(
        "axes", "accesslog", lambda w: w.axes["log"].pk, lambda w: {"username": "x"}
    ),
    *django_admin_actions(
        "axes", "accessfailurelog", lambda w: w.axes["failure"].pk, lambda w: {"username": "x"}
    ),
]
