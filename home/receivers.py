"""The site's branding changed: every page shows it, so every cached copy is stale.

Connected by importing this module (``HomeConfig.ready``), like every app's receivers.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from base.cache import bump_content_version
from base.receivers import shown_thing_saved

from .models import BrandingSettings

receiver(post_save, sender=BrandingSettings, dispatch_uid="fledge-cache-BrandingSettings")(
    shown_thing_saved
)
receiver(post_delete, sender=BrandingSettings, dispatch_uid="fledge-cache-BrandingSettings")(
    bump_content_version
)
