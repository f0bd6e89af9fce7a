"""Smoke steps of backups: deploy/backup.sh, deploy/restore.sh into a fresh database,
and a site served from what was restored."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import psycopg
from psycopg import sql

from .base import LEARNER, SmokeBase
from .support import BASH, PYTHON, ROOT, check, find_form, free_port, run_command, wait_for

#: Tables that restore.sh rebuilds from the data rather than copies.
SEARCH_INDEX_TABLES = ("wagtailsearch_indexentry",)


class BackupSteps(SmokeBase):
    """Back up, restore into fresh places, and serve what was restored."""

    def backup(self) -> Path:
        with self.step("deploy/backup.sh") as notes:
            backups = self.tmp / "backups"
            # An old backup past the retention period, and a folder that is not a backup.
            old = backups / "fledge-20000101T000000Z"
            old.mkdir(parents=True)
            (old / "MANIFEST").write_text("# Fledge backup\n")
            unrelated = backups / "keep-me"
            unrelated.mkdir()
            long_ago = time.time() - 40 * 86400
            for path in (old, unrelated):
                os.utime(path, (long_ago, long_ago))
            env = self.env | {"BACKUP_DIR": str(backups), "BACKUP_KEEP_DAYS": "14"}
            run_command(
                "backup.sh",
                [BASH, "deploy/backup.sh"],
                env=env,
                log=self.logs / "backup.log",
                timeout=180,
            )
            made = sorted(backups.glob("fledge-2*"))
            check(len(made) == 1 and made[0] != old, f"expected one new backup, found {made}")
            backup = made[0]
            for name in (
                "MANIFEST",
                "SHA256SUMS",
                "database.dump",
                "media.tar.gz",
                "private-media.tar.gz",
            ):
                check(
                    (backup / name).is_file(), f"the backup has no {name}", self.logs / "backup.log"
                )
            check(not old.exists(), "retention kept a backup older than BACKUP_KEEP_DAYS")
            check(unrelated.exists(), "retention deleted a folder that is not a backup")
            if self.settings.pg_password:
                manifest = (backup / "MANIFEST").read_text()
                check(self.settings.pg_password not in manifest, "the manifest shows the password")
            size = sum(p.stat().st_size for p in backup.iterdir())
            notes.append(f"{backup.name}, {size // 1024} KiB; old backup deleted")
        return backup

    def restore(self, backup: Path) -> None:
        with self.step("deploy/restore.sh into a fresh database and media folder") as notes:
            self.create_database(self.restored_database)
            restored = self.tmp / "restored"
            self.restored_env = self.environment(
                database=self.restored_database,
                media=restored,
                port=(restored_port := free_port()),
                cache_prefix=f"fledge_smoke_restored_{os.getpid()}",
            )
            self.restored_port = restored_port
            # The same site restored: its public address, printed in each certificate's
            # QR code, has not changed (a new one would make every PDF stale).
            self.restored_env["WAGTAILADMIN_BASE_URL"] = self.env["WAGTAILADMIN_BASE_URL"]
            env = self.restored_env | {"MANAGE": f"{PYTHON} {ROOT / 'manage.py'}"}
            run_command(
                "restore.sh",
                [BASH, "deploy/restore.sh", "--yes", str(backup)],
                env=env,
                log=self.logs / "restore.log",
                timeout=300,
            )
            original, copy = self.row_counts(self.database), self.row_counts(self.restored_database)
            # The search index is rebuilt from the data by the restore (update_index), so
            # it may hold more than the original: pages that migrations created (the root
            # and the catalog page) are indexed only by update_index.
            for table in SEARCH_INDEX_TABLES:
                check(
                    copy.pop(table, 0) >= original.pop(table, 0),
                    f"the restored search index ({table}) has fewer entries than the original",
                )
            differ = {
                t: (original.get(t), copy.get(t))
                for t in original.keys() | copy.keys()
                if original.get(t) != copy.get(t)
            }
            check(not differ, f"row counts differ (original, restored): {differ}")
            main = [
                "auth_user",
                "wagtailcore_page",
                "learner_enrollment",
                "compliance_assignment",
                "compliance_notificationlog",
                "certificates_certificate",
            ]
            for name, base in (("media", self.tmp), ("private-media", self.tmp)):
                before, after = files_under(base / name), files_under(restored / name)
                check(before == after, f"{name} differs after the restore: {before ^ after}")
            notes.append(
                f"{len(original)} tables, {sum(original.values())} rows match ("
                + ", ".join(f"{t.split('_', 1)[1]} {original[t]}" for t in main)
                + ")"
            )

    def row_counts(self, database: str) -> dict[str, int]:
        tables = [
            name
            for (name,) in self.query(
                """
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
                """,
                database=database,
            )
        ]
        with psycopg.connect(self.settings.database_url(database), connect_timeout=5) as conn:
            return {
                table: conn.execute(
                    sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
                ).fetchone()[0]
                for table in tables
            }

    def restored_site(self, certificate: dict, pdf: bytes) -> None:
        with self.step("gunicorn on the restored database and media") as notes:
            web = self.gunicorn(self.restored_env, "gunicorn-restored")
            self.web_log = web.log
            self.base_url = f"http://127.0.0.1:{self.restored_port}"
            session = self.http()
            wait_for(
                "the restored site's /health/",
                lambda: session.get(f"{self.base_url}/health/", timeout=5).status_code == 200,
                timeout=60,
                log=web.log,
                alive=web.assert_running,
            )
            self.verify_publicly(certificate, session=session)
            page = self.get(session, "/accounts/login/")
            form = find_form(page.text, "/accounts/login/", "sign-in")
            self.post(
                session,
                form.action,
                form.hidden() | {"login": LEARNER, "password": self.password},
            )
            response = self.get(session, f"/certificates/{certificate['number']}/download/")
            check(response.content == pdf, "the restored site served a different PDF")
            restored = self.certificate(database=self.restored_database)
            check(
                restored["rendered_at"] == certificate["rendered_at"],
                "the restored site rendered the PDF again instead of using the restored file",
            )
            notes.append(
                f"{certificate['number']} verifies as valid; its PDF downloads unchanged "
                f"(sha256 {hashlib.sha256(pdf).hexdigest()[:12]}…)"
            )
            web.stop()


def files_under(folder: Path) -> set[tuple[str, int]]:
    if not folder.exists():
        return set()
    return {
        (str(p.relative_to(folder)), p.stat().st_size) for p in folder.rglob("*") if p.is_file()
    }
