"""Changes to sites and view restrictions make cached routes and pages stale."""

from django.db.models.signals import post_delete, post_save

from wagtail.models import PageViewRestriction, Site

from .cache import bump_content_version


def connect() -> None:
    for model in (Site, PageViewRestriction):
        uid = f"fledge-cache-{model.__name__}"
        post_save.connect(bump_content_version, sender=model, dispatch_uid=uid)
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=uid)
