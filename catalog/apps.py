from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """The course catalog: catalog, course and module pages, and subjects."""

    name = "catalog"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - importing it connects the receivers
