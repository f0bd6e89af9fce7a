"""``manage.py sweep``: run the per-minute sweeps once, in this process.

Celery beat runs them every ``FLEDGE_SWEEP_SECONDS`` (``SWEEP_TASKS`` in the settings):
queued emails and reminders, requested assignment syncs and certificates without a PDF,
whose hand-over to a worker was lost. Where no worker runs, run this from cron every
minute or two (``make run`` needs neither: its tasks run in-process).
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from celery.utils.imports import symbol_by_name


class Command(BaseCommand):
    help = "Run the per-minute sweeps once: queued emails, requested syncs, pending PDFs."

    def handle(self, *args, **options) -> None:
        for name in settings.SWEEP_TASKS:
            result = symbol_by_name(name).apply(throw=True).get()
            self.stdout.write(f"{name}: {result}")
