from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    """Certificates of completion: issued when a course is completed, rendered to PDF
    by WeasyPrint, downloadable by their holders and staff, verifiable by anyone with
    the code printed on them.

    Depends on the learner app (one way): it listens to ``course_completed`` and adds
    a panel to the learner dashboard through the ``learner_dashboard_panels`` hook.
    """

    name = "certificates"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - importing it connects the receivers
