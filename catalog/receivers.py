"""Changes to published content make every cached copy stale (see ``home.cache``).

Connected by importing this module (``CatalogConfig.ready``), like every app's receivers.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from home.cache import bump_content_version
from home.models import BrandingSettings

from .models import Subject

Image = get_image_model()


@receiver(page_published, dispatch_uid="fledge-cache-published")
@receiver(page_unpublished, dispatch_uid="fledge-cache-unpublished")
@receiver(post_page_move, dispatch_uid="fledge-cache-moved")
@receiver(post_delete, sender=BrandingSettings, dispatch_uid="fledge-cache-BrandingSettings")
@receiver(post_delete, sender=Subject, dispatch_uid="fledge-cache-Subject")
@receiver(post_delete, sender=Image, dispatch_uid="fledge-cache-Image")
def content_changed(**kwargs: object) -> None:
    """Published, unpublished, moved, or something a page shows deleted."""
    bump_content_version()


@receiver(post_save, dispatch_uid="fledge-cache-page-saved")
@receiver(post_delete, dispatch_uid="fledge-cache-page-deleted")
def page_row_changed(sender, instance, **kwargs) -> None:
    """Publishing is the usual change, but a page row saved directly (a script, the
    shell, a management command) must not leave stale copies behind either."""
    if isinstance(instance, Page):
        bump_content_version()


@receiver(post_save, sender=BrandingSettings, dispatch_uid="fledge-cache-BrandingSettings")
@receiver(post_save, sender=Subject, dispatch_uid="fledge-cache-Subject")
@receiver(post_save, sender=Image, dispatch_uid="fledge-cache-Image")
def shown_thing_saved(sender, created: bool = False, **kwargs) -> None:
    """A new subject, image or settings row is on no published page until a page that
    uses it is published (which bumps the version then); an edited one may be."""
    if not created:
        bump_content_version()
