"""``manage.py render_certificates``: render certificate PDFs again, in this process.

For after a template or branding change, or to fill private storage on a new server.
Renders every certificate, or those chosen by ``--course``, ``--number`` and
``--status``; ``--stale`` skips the ones whose stored file is current. A progress bar
is printed as it goes; a certificate that fails is reported and the rest carry on.
"""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet

from certificates import services
from certificates.models import Certificate

#: Characters in the progress bar.
BAR_WIDTH = 30


def progress_bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """``[#########---------]  15/30  50%``"""
    filled = width * done // total if total else width
    percent = 100 * done // total if total else 100
    return (
        f"[{'#' * filled}{'-' * (width - filled)}] {done:>{len(str(total))}}/{total} {percent:3d}%"
    )


class Command(BaseCommand):
    help = "Render certificate PDFs again (all, or filtered), with a progress bar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--course", type=int, action="append", help="Course page id (may repeat)."
        )
        parser.add_argument(
            "--number", action="append", help="Certificate number, e.g. FLG-2026-000123."
        )
        parser.add_argument("--status", choices=[status.value for status in Certificate.Status])
        parser.add_argument(
            "--stale",
            action="store_true",
            help="Only certificates whose PDF is missing or out of date.",
        )

    def selection(self, options) -> QuerySet[Certificate]:
        certificates = Certificate.objects.select_related("course").order_by("pk")
        if options["course"]:
            certificates = certificates.filter(course_id__in=options["course"])
        if options["number"]:
            certificates = certificates.filter(number__in=options["number"])
        if options["status"]:
            certificates = certificates.with_status(options["status"])
        return certificates

    def handle(self, *args, **options) -> None:
        certificates = list(self.selection(options))
        total = len(certificates)
        if not total:
            self.stdout.write("No certificates match.")
            return
        force = not options["stale"]
        interactive = getattr(self.stdout, "isatty", lambda: False)()
        started = time.perf_counter()
        failures: list[str] = []
        for done, certificate in enumerate(certificates, start=1):
            try:
                services.certificate_render(certificate=certificate, force=force)
            except Exception as error:  # report it and carry on with the others
                failures.append(f"{certificate.number}: {type(error).__name__}: {error}")
            self.show_progress(done, total, interactive)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Rendered {total - len(failures)} of {total} certificate"
            f"{'' if total == 1 else 's'} in {seconds:.1f} s"
            f"{' (current files skipped)' if not force else ''}."
        )
        if failures:
            for line in failures:
                self.stderr.write(line)
            raise CommandError(f"{len(failures)} certificate(s) could not be rendered.")

    def show_progress(self, done: int, total: int, interactive: bool) -> None:
        """Redraw the bar in place on a terminal; elsewhere (logs, pipes) print a line
        at every tenth of the way, so output stays short."""
        bar = progress_bar(done, total)
        if interactive:
            self.stdout.write(f"\r{bar}", ending="\n" if done == total else "")
            self.stdout.flush()
        elif done == total or done % max(1, total // 10) == 0:
            self.stdout.write(bar)
