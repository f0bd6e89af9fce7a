"""Personal records in Wagtail's admin: the pages (``/admin/records/``), a menu item
under Settings and a "Personal records" button on each user in *Settings → Users*,
each shown only to whom :mod:`records.permissions` allows."""

from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton

from . import permissions, urls


@hooks.register("register_admin_urls")
def admin_urls():
    return [path("records/", include(urls, namespace="records"))]


class RecordsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return permissions.may_open_records(request.user)


@hooks.register("register_settings_menu_item")
def records_menu_item():
    return RecordsMenuItem(
        "Personal records", reverse("records:people"), icon_name="user", order=610
    )


@hooks.register("register_user_listing_buttons")
def user_records_button(user, request_user):
    if permissions.may_open_records(request_user):
        yield ListingButton(
            "Personal records", reverse("records:person", args=[user.pk]), priority=50
        )
