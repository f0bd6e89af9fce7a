"""Changes to published content make every cached copy stale (see ``catalog.cache``)."""

from django.db.models.signals import post_delete, post_save

from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from home.cache import bump_content_version
from home.models import BrandingSettings

from .models import Subject


def _page_changed(sender, instance, **kwargs) -> None:
    # Publishing is the usual change, but a page row saved directly (a script, the
    # shell, a management command) must not leave stale copies behind either.
    if isinstance(instance, Page):
        bump_content_version()


def _changed(sender, created: bool = False, **kwargs) -> None:
    # A new subject, image or settings row is on no published page until a page that
    # uses it is published (which bumps the version then).
    if not created:
        bump_content_version()


def connect() -> None:
    page_published.connect(bump_content_version, dispatch_uid="fledge-cache-published")
    page_unpublished.connect(bump_content_version, dispatch_uid="fledge-cache-unpublished")
    post_page_move.connect(bump_content_version, dispatch_uid="fledge-cache-moved")
    post_save.connect(_page_changed, dispatch_uid="fledge-cache-page-saved")
    post_delete.connect(_page_changed, dispatch_uid="fledge-cache-page-deleted")
    for model in (BrandingSettings, Subject, get_image_model()):
        uid = f"fledge-cache-{model.__name__}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=uid)
