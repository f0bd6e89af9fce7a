from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The tamper-evident audit trail: one hash chain of :class:`~audit.models.AuditEntry`
    rows, each also logged through Wagtail's ``log_action`` so it shows in *Site
    history*. A base app: it imports no other Fledge app, and every app may record."""

    name = "audit"
    default_auto_field = "django.db.models.BigAutoField"
