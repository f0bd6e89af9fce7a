from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """Required training: requirements, assignments per cycle, reminders and reports."""

    name = "compliance"
    verbose_name = "Compliance"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - importing it connects the receivers
