from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Sign in, sign out, password reset and optional self sign-up."""

    name = "accounts"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - importing it connects the receivers
