from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The REST API v1."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "REST API"
