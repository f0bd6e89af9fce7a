"""Run the daily compliance job (and, with --digests, the weekly digests) in-process."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from compliance import services
from compliance.services import notifications


class Command(BaseCommand):
    help = (
        "Sync assignments with their audiences, then queue and send due reminders. "
        "Safe to run more than once a day: nothing is sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of",
            help="Run as on this date (YYYY-MM-DD), e.g. to backfill a missed day.",
        )
        parser.add_argument(
            "--digests", action="store_true", help="Also send the managers' weekly digests."
        )

    def handle(self, *args, **options):
        try:
            as_of = date.fromisoformat(options["as_of"]) if options["as_of"] else None
        except ValueError:
            raise CommandError("--as-of must be a date like 2026-10-31.") from None
        synced = services.assignments_sync(as_of=as_of)
        self.stdout.write(f"Sync: {synced}")
        queued = notifications.queue_reminders(as_of=as_of)
        if options["digests"]:
            queued += notifications.queue_manager_digests(as_of=as_of)
        sent = notifications.send_pending(as_of=as_of)
        self.stdout.write(f"Reminders: {queued} checked, {sent} sent")
