"""Changes to published pages, images, sites and view restrictions make cached routes
and pages stale (see ``base.cache``), and so does an outage of the cache itself; each
request gets a queue for the work that runs after its response. Apps retire the cache
for their own models the same way (``home.receivers``: branding; ``catalog.receivers``:
subjects).

Connected by importing this module (``BaseConfig.ready``), like every app's receivers.
"""

from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import transactions
from .cache import bump_all_versions, bump_content_version
from .redis_cache import cache_recovered

Image = get_image_model()


@receiver(post_save, sender=Site, dispatch_uid="fledge-cache-Site")
@receiver(post_delete, sender=Site, dispatch_uid="fledge-cache-Site")
@receiver(post_save, sender=PageViewRestriction, dispatch_uid="fledge-cache-PageViewRestriction")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="fledge-cache-PageViewRestriction")
def routes_changed(**kwargs: object) -> None:
    """A site or a view restriction changed: cached routes and pages are stale."""
    bump_content_version()


@receiver(page_published, dispatch_uid="fledge-cache-published")
@receiver(page_unpublished, dispatch_uid="fledge-cache-unpublished")
@receiver(post_page_move, dispatch_uid="fledge-cache-moved")
@receiver(post_delete, sender=Image, dispatch_uid="fledge-cache-Image")
def content_changed(**kwargs: object) -> None:
    """Published, unpublished, moved, or an image deleted."""
    bump_content_version()


@receiver(post_save, dispatch_uid="fledge-cache-page-saved")
@receiver(post_delete, dispatch_uid="fledge-cache-page-deleted")
def page_row_changed(sender, instance, **kwargs) -> None:
    """Publishing is the usual change, but a page row saved directly (a script, the
    shell, a management command) must not leave stale copies behind either."""
    if isinstance(instance, Page):
        bump_content_version()


def shown_thing_saved(sender, created: bool = False, **kwargs) -> None:
    """For a model that pages show (an image, branding, a subject): a new one is on no
    published page until a page that uses it is published (which bumps the version
    then); an edited one may be. Apps connect it for their own models."""
    if not created:
        bump_content_version()


receiver(post_save, sender=Image, dispatch_uid="fledge-cache-Image")(shown_thing_saved)


@receiver(cache_recovered, dispatch_uid="fledge-cache-recovered")
def cache_back(**kwargs: object) -> None:
    """Nothing could be retired while Redis was out: retire everything now it is back."""
    bump_all_versions()


def connect_after_response() -> None:
    """Open the request's after-response queue when it starts; run it when it ends.

    The queue runs before Django's own ``close_old_connections`` (connected when
    ``django.db`` was imported, so it is moved behind): the deferred work uses the
    request's database connection, and a connection past its age is then closed as
    after any request, instead of being opened again and left idle until the thread's
    next request. (A function, not ``@receiver``: the order of the two matters.)
    """
    request_started.connect(transactions.open_request_queue, dispatch_uid="fledge-after-response")
    moved = request_finished.disconnect(close_old_connections)
    request_finished.connect(transactions.run_request_queue, dispatch_uid="fledge-after-response")
    if moved:
        request_finished.connect(close_old_connections)


connect_after_response()
