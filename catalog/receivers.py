"""A subject changed: pages that show it are stale (see ``base.cache``). A course was
published: a material change is announced (``catalog.services.course_published``).

Connected by importing this module (``CatalogConfig.ready``), like every app's receivers.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.signals import page_published

from base.cache import bump_content_version
from base.receivers import shown_thing_saved

from . import services
from .models import CoursePage, Subject

receiver(post_save, sender=Subject, dispatch_uid="fledge-cache-Subject")(shown_thing_saved)
receiver(post_delete, sender=Subject, dispatch_uid="fledge-cache-Subject")(bump_content_version)


@receiver(page_published, sender=CoursePage, dispatch_uid="fledge-catalog-course-published")
def course_published(sender, instance, revision=None, **kwargs) -> None:
    services.course_published(course=instance, revision=revision)
