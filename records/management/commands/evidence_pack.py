"""``manage.py evidence_pack USERNAME [--requirement ID] [--output DIR]``: write a
person's evidence pack (PDF and JSON) to files, for an auditor.

Exits 1 with a message when the person or the requirement is unknown. The download is
recorded in the audit trail with no actor (the command line).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from records import evidence


class Command(BaseCommand):
    help = "Write a person's evidence pack (PDF and JSON) for an auditor."

    def add_arguments(self, parser):
        parser.add_argument("username", help="Whose evidence (their username).")
        parser.add_argument(
            "--requirement", type=int, help="Only this requirement (its id) and its course."
        )
        parser.add_argument(
            "--output", default=".", help="The folder to write into (default: here)."
        )
        parser.add_argument(
            "--format",
            choices=("pdf", "json", "both"),
            default="both",
            help="Which files to write (default: both).",
        )

    def handle(self, *args, **options):
        user_model = get_user_model()
        person = user_model.objects.filter(
            **{user_model.USERNAME_FIELD: options["username"]}
        ).first()
        if person is None:
            raise CommandError(f"No user is called {options['username']!r}.")
        folder = Path(options["output"])
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        try:
            pack = evidence.build(
                person, requirement_id=options["requirement"], generated_by="manage.py"
            )
        except evidence.UnknownRequirement as missing:
            raise CommandError(f"No requirement has the id {options['requirement']}.") from missing
        formats = ("pdf", "json") if options["format"] == "both" else (options["format"],)
        for file_format in formats:
            path = folder / f"{pack.filename_stem}.{file_format}"
            if file_format == "pdf":
                path.write_bytes(evidence.render_pdf(pack))
            else:
                path.write_text(evidence.as_json(pack), encoding="utf-8")
            evidence.record_download(pack, person=person, actor=None, file_format=file_format)
            self.stdout.write(f"Wrote {path}")
        chain = pack.data["audit"]["chain"]
        state = "intact" if chain["verified"] else f"BROKEN at entry #{chain['broken_at']}"
        self.stdout.write(
            f"{len(pack.data['audit']['entries'])} audit entries about them; chain {state}, "
            f"head #{chain['head_sequence']} {chain['head_hash']}"
        )
