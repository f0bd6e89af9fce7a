from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """The email outbox: messages written with what caused them, sent afterwards."""

    name = "notifications"
    verbose_name = "Notifications"
