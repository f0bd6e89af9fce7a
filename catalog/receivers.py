"""A subject changed: pages that show it are stale (see ``base.cache``).

Connected by importing this module (``CatalogConfig.ready``), like every app's receivers.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from base.cache import bump_content_version
from base.receivers import shown_thing_saved

from .models import Subject

receiver(post_save, sender=Subject, dispatch_uid="fledge-cache-Subject")(shown_thing_saved)
receiver(post_delete, sender=Subject, dispatch_uid="fledge-cache-Subject")(bump_content_version)
