"""``manage.py load_demo``: load the demo content of every project app, idempotently.

Each project app may have a ``demo`` module with a ``load(*, log)`` function. The
command runs them in ``INSTALLED_APPS`` order (accounts, home, catalog, lessons, then
the apps built on them), so an app's demo may use what earlier apps created but no app
needs to know about later ones. ``log`` prints one progress line. ``load`` may return
login rows ``(username, password, role)``; the command lists them all at the end.

Everything runs in one transaction: a failure leaves the database as it was (cover
image files already written stay in media storage, unused). Running the command again
updates the demo content in place instead of duplicating it.
"""

import importlib
import importlib.util
import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

#: The name of the module each app keeps its demo loader in.
DEMO_MODULE = "demo"


def project_app_configs() -> list[AppConfig]:
    """The apps that live in this project (not Django, Wagtail or installed packages),
    in ``INSTALLED_APPS`` order."""
    base_dir = Path(settings.BASE_DIR).resolve()
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == base_dir
    ]


def demo_module(app_config: AppConfig) -> ModuleType | None:
    """The app's ``demo`` module, or None when it has none."""
    name = f"{app_config.name}.{DEMO_MODULE}"
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)


@contextmanager
def quiet_logger(name: str, level: int = logging.WARNING) -> Iterator[None]:
    """Raise a logger's level for the duration, e.g. to hide Wagtail's line per page
    created, edited and published, which would bury the progress lines."""
    logger = logging.getLogger(name)
    previous = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(previous)


def format_logins(rows: Iterable[tuple[str, str, str]]) -> list[str]:
    """The demo logins as the lines of a plain-text table."""
    header = ("Username", "Password", "Role")
    rows = [header, *[tuple(row) for row in rows]]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return [line.rstrip() for line in lines]


class Command(BaseCommand):
    help = (
        "Load demo users, courses, lessons and quizzes (safe to run again), "
        "then print the demo logins. Set FLEDGE_DEMO_PASSWORD to choose the password."
    )

    def handle(self, *args, **options) -> None:
        verbosity = options["verbosity"]
        try:
            # Wagtail's own line per page saved is shown from verbosity 2 (-v 2) up.
            # Demo addresses are not real mailboxes: the emails that enrolments and
            # workflow submissions would send are dropped, not printed or delivered.
            with (
                quiet_logger("wagtail", logging.INFO if verbosity > 1 else logging.WARNING),
                quiet_logger("certificates", logging.INFO if verbosity > 1 else logging.WARNING),
                override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            ):
                logins = self.load_all(verbosity)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error

        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        if logins:
            self.stdout.write("")
            self.stdout.write(
                "Demo logins (for demonstrations only; never use them on a real site):"
            )
            for line in format_logins(logins):
                self.stdout.write(f"  {line}")
            self.stdout.write("")
            self.stdout.write("Sign in at /accounts/login/; staff roles use the admin at /admin/.")
            if settings.FLEDGE_MFA_REQUIRED_FOR_STAFF:
                self.stdout.write(
                    "Staff roles set up an authenticator app (two-factor authentication) on "
                    "their first visit to the admin; run with FLEDGE_MFA_REQUIRED_FOR_STAFF=0 "
                    "to try the admin without one."
                )

    @transaction.atomic
    def load_all(self, verbosity: int) -> list[tuple[str, str, str]]:
        """Run every project app's demo loader, in one transaction; return the logins."""
        logins: list[tuple[str, str, str]] = []
        log = self.progress_logger(verbosity)
        for app_config in project_app_configs():
            module = demo_module(app_config)
            if module is None:
                continue
            if verbosity:
                self.stdout.write(self.style.MIGRATE_HEADING(f"{app_config.verbose_name}:"))
            logins.extend(module.load(log=log) or [])
        return logins

    def progress_logger(self, verbosity: int) -> Callable[[str], None]:
        """A ``log`` callable that prints one indented progress line (silent at -v 0)."""

        def log(message: str) -> None:
            if verbosity:
                self.stdout.write(f"  - {message}")

        return log
