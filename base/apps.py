from django.apps import AppConfig


class BaseConfig(AppConfig):
    """What every other app builds on and that imports none of them: the content cache
    and its version keys, page routing, the anonymous page cache, the fail-open Redis
    cache, on-commit and after-response work, shared admin pieces and small helpers."""

    name = "base"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - importing it connects the receivers
