from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page and the site-wide branding settings."""

    name = "home"

    def ready(self) -> None:
        from base.routing import SITE_RELATED

        from . import receivers  # noqa: F401 - importing it connects the receivers

        # Every page's header shows the branding: read it with the Site.
        if "brandingsettings" not in SITE_RELATED:
            SITE_RELATED.append("brandingsettings")
