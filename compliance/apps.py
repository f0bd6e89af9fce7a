from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """Required training: requirements, assignments per cycle, reminders and reports."""

    name = "compliance"
    verbose_name = "Compliance"

    def ready(self) -> None:
        from . import (
            dashboard,  # noqa: F401 - registers the learner dashboard panel
            receivers,  # noqa: F401 - connects the signal receivers
        )
