from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API v1 and the signed webhooks."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "REST API"

    def ready(self) -> None:
        from .webhooks import receivers  # noqa: F401 - importing it connects the receivers
