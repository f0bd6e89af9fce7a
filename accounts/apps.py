from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Sign in, sign out, password reset and optional self sign-up."""

    name = "accounts"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - importing it connects the receivers

        # The same for single sign-on, and its start-up checks (``manage.py check``).
        from .sso import checks as sso_checks  # noqa: F401
        from .sso import receivers as sso_receivers  # noqa: F401
