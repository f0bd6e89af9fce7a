from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page and the site-wide branding settings."""

    name = "home"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - importing it connects the receivers
