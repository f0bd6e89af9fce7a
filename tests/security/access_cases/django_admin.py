"""Django's admin: staff (only superusers here) or its sign-in page."""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from learner.models import Enrollment

from ..conftest import World
from ..world_urls import rev
from .case import (
    DJANGO_LOGIN,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    POST_ONLY,
    Case,
    Outcome,
    every,
    redirect,
)

#: Staff only (superusers here); everyone else gets its sign-in page.
STAFF_ONLY = every(DJANGO_LOGIN).but(superuser=OK)


def django_admin_model(
    app_label: str,
    model: str,
    get_pk: Callable[[World], int],
    *,
    add: Outcome = OK,
) -> list[Case]:
    """The six URLs Django's admin makes for one model; ``add`` is what a superuser
    gets on its add form."""
    prefix = f"admin:{app_label}_{model}"
    label = f"django-admin-{model}"

    def change_url(world: World) -> str:
        return reverse(f"{prefix}_change", args=[get_pk(world)])

    return [
        Case(
            key=f"{prefix}_changelist",
            label=f"{label}-list",
            url=rev(f"{prefix}_changelist"),
            access=STAFF_ONLY,
        ),
        Case(
            key=f"{prefix}_add",
            label=f"{label}-add",
            url=rev(f"{prefix}_add"),
            access=STAFF_ONLY.but(superuser=add),
        ),
        Case(
            key=f"{prefix}_history",
            label=f"{label}-history",
            url=rev(f"{prefix}_history", get_pk),
            access=STAFF_ONLY,
        ),
        Case(
            key=f"{prefix}_delete",
            label=f"{label}-delete",
            url=rev(f"{prefix}_delete", get_pk),
            access=STAFF_ONLY,
        ),
        Case(key=f"{prefix}_change", label=f"{label}-change", url=change_url, access=STAFF_ONLY),
        Case(
            key=f"django-admin/{app_label}/{model}/<path:object_id>/",
            label=f"{label}-bare-id",
            url=lambda w: f"/django-admin/{app_label}/{model}/{get_pk(w)}/",
            access=STAFF_ONLY.but(superuser=redirect(change_url, "change page")),
        ),
    ]


#: A redirect to the index of Django's admin.
TO_THE_INDEX = redirect(lambda w: reverse("admin:index"), "admin index")


DJANGO_ADMIN = [
    Case(key="admin:index", label="django-admin-index", url=rev("admin:index"), access=STAFF_ONLY),
    Case(
        key="admin:login",
        label="django-admin-login",
        url=rev("admin:login"),
        access=every(FORBIDDEN).but(
            anonymous=redirect(
                lambda w: f"{reverse('account_login')}?next=%2Fdjango-admin%2Flogin%2F",
                "site sign-in",
            ),
            superuser=TO_THE_INDEX,
        ),
        note="The site's sign-in page signs people in (config/urls.py); signed-in non-staff "
        "are refused.",
    ),
    Case(
        key="admin:logout",
        label="django-admin-logout",
        url=rev("admin:logout"),
        access=every(TO_THE_INDEX).but(superuser=POST_ONLY),
    ),
    Case(
        key="admin:password_change",
        label="django-admin-password",
        url=rev("admin:password_change"),
        access=STAFF_ONLY,
    ),
    Case(
        key="admin:password_change_done",
        label="django-admin-password-done",
        url=rev("admin:password_change_done"),
        access=STAFF_ONLY,
    ),
    Case(
        key="admin:autocomplete",
        label="django-admin-autocomplete",
        url=rev("admin:autocomplete", query="app_label=auth&model_name=user&field_name=groups"),
        access=STAFF_ONLY,
    ),
    Case(
        key="admin:jsi18n",
        label="django-admin-jsi18n",
        url=rev("admin:jsi18n"),
        access=STAFF_ONLY,
    ),
    Case(
        key="admin:view_on_site",
        label="django-admin-view-on-site",
        url=lambda w: reverse(
            "admin:view_on_site",
            args=[ContentType.objects.get_for_model(Enrollment).pk, w.me.enrollment.pk],
        ),
        access=STAFF_ONLY.but(superuser=NOT_FOUND),
        note="Enrolments have no public URL.",
    ),
    Case(
        key="admin:app_list",
        label="django-admin-app",
        url=rev("admin:app_list", "auth"),
        access=STAFF_ONLY,
    ),
    Case(
        key="django-admin/(?P<url>.*)$",
        label="django-admin-unknown",
        url=lambda w: "/django-admin/no-such-page/",
        access=STAFF_ONLY.but(superuser=NOT_FOUND),
    ),
    *django_admin_model("wagtaildocs", "document", lambda w: w.document.pk),
    *django_admin_model("wagtailimages", "image", lambda w: w.image.pk),
    *django_admin_model("taggit", "tag", lambda w: w.tag.pk),
    Case(
        key="admin:taggit_tag_merge_tags",
        label="django-admin-merge-tags",
        url=rev("admin:taggit_tag_merge_tags"),
        access=STAFF_ONLY,
    ),
    *django_admin_model("auth", "group", lambda w: w.instructors_group.pk),
    *django_admin_model("auth", "user", lambda w: w.me.user.pk),
    Case(
        key="admin:auth_user_password_change",
        label="django-admin-user-password",
        url=rev("admin:auth_user_password_change", lambda w: w.me.user.pk),
        access=STAFF_ONLY,
    ),
    *django_admin_model("axes", "accessattempt", lambda w: w.axes["attempt"].pk, add=FORBIDDEN),
    *django_admin_model("axes", "accesslog", lambda w: w.axes["log"].pk, add=FORBIDDEN),
    *django_admin_model("axes", "accessfailurelog", lambda w: w.axes["failure"].pk, add=FORBIDDEN),
]
