"""``manage.py audit_verify``: prove the audit trail was not altered."""

from django.core.management.base import BaseCommand, CommandError

from audit import services


class Command(BaseCommand):
    help = (
        "Walk the audit hash chain. Exits 0 printing the entry count and head hash when "
        "intact, 1 naming the first entry whose hash does not match."
    )

    def handle(self, *args, **options) -> None:
        try:
            head = services.verify_chain()
        except services.ChainBroken as broken:
            raise CommandError(
                f"Audit chain broken at entry #{broken.sequence}: {broken.reason}"
            ) from None
        self.stdout.write(
            f"Audit chain intact: {head.count} entries, head #{head.sequence} {head.entry_hash}"
        )
