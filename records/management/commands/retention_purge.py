"""``manage.py retention_purge [--years N] [--dry-run]``: remove personal records older
than the retention period (``FLEDGE_RETENTION_YEARS`` unless ``--years`` is given), as
the weekly job does; print how many of each kind went and the total.

Exits 0, also when retention is off (0 years: nothing is removed).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from records import retention


class Command(BaseCommand):
    help = "Remove personal records older than the retention period (FLEDGE_RETENTION_YEARS)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--years",
            type=int,
            help="Keep this many years instead of FLEDGE_RETENTION_YEARS (0: keep everything).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what would be removed, and change nothing.",
        )

    def handle(self, *args, **options):
        years = options["years"]
        if years is not None and years < 0:
            raise CommandError("--years cannot be negative.")
        if (settings.FLEDGE_RETENTION_YEARS if years is None else years) <= 0:
            self.stdout.write("Retention is off (0 years): nothing removed.")
            return
        dry_run = options["dry_run"]
        counts = retention.purge(years=years, dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write(f"{verb} {sum(counts.values())} in total.")
