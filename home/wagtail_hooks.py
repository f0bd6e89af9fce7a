"""Wagtail hooks shared by every app's admin screens."""

from django.templatetags.static import static
from django.utils.html import format_html

from wagtail import hooks


@hooks.register("insert_global_admin_css")
def status_badges_css() -> str:
    """The status badges of the admin listings (``static/css/admin-badges.css``)."""
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin-badges.css"))
