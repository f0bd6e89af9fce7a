"""Smoke test of the production configuration, without Docker (``make smoke``).

Runs Fledge as it runs in production, on this machine: ``DJANGO_DEBUG=0``, PostgreSQL,
Redis, gunicorn with ``deploy/gunicorn.conf.py``, a Celery worker and Celery beat as
separate processes, every one bound to 127.0.0.1. Then it drives the site over HTTP and
checks what the processes did:

1. a fresh database, migrations, ``collectstatic`` and the demo content;
2. gunicorn, the worker and beat start; ``/health/live`` and ``/health/`` answer;
3. the demo learner signs in through the login form, enrols, completes every lesson
   (quizzes answered correctly) of a course that issues certificates, with the worker
   stopped before the last one: the certificate exists but its PDF is not rendered
   until the worker runs again, and then downloads as a real PDF naming the learner;
4. the REST API over gunicorn with a token made for the demo learner (401 without
   it), an enrolment through it, and its ``enrolment.created`` webhook delivered by
   the worker to a receiver on 127.0.0.1, signed with the subscription's secret;
5. where nginx is installed, ``deploy/nginx.conf`` in front of a gunicorn set up as in
   ``docker-compose.yml``: static files, sandboxed renditions, refused originals and
   private paths, the certificate through X-Accel-Redirect, the upload limit (the step
   says it is skipped otherwise);
6. the daily compliance job, sent through the broker, emails its reminders;
7. the worker is stopped (warm shutdown) in the middle of a queue of jobs and started
   again: every job still runs, and no message is sent twice;
8. beat answers a ping and keeps its schedule file;
9. ``deploy/backup.sh`` backs up, ``deploy/restore.sh`` restores into another fresh
   database and media folder, the row counts match, and a second gunicorn on the
   restored data still verifies the certificate and serves its PDF.

The steps live in ``deploy/smoketest/``, one module per concern; this file runs them.

Everything it makes (two databases, one Redis database, a temporary folder) is removed
at the end, also after a failure or Ctrl+C; with ``--keep``, or after a failure, the
temporary folder with every process's log stays for reading. Exit status 0 means every
check passed.

Where PostgreSQL and Redis are (the same names as ``.ci/run``, ``SMOKE_`` first):
``SMOKE_PG_HOST``/``CI_PG_HOST`` (127.0.0.1), ``SMOKE_PG_PORT``/``CI_PG_PORT`` (5432),
``SMOKE_PG_USER``/``CI_PG_USER`` (postgres; ``PGPASSWORD`` if it needs one),
``SMOKE_REDIS_HOST``/``CI_REDIS_HOST`` (127.0.0.1), ``SMOKE_REDIS_PORT``/``CI_REDIS_PORT``
(6379) and ``SMOKE_REDIS_DB`` (14: flushed at the start and at the end).
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import signal
import sys
import time
import traceback

import psycopg
import redis
from psycopg import sql
from smoketest.api import ApiSteps
from smoketest.backups import BackupSteps
from smoketest.base import BEAT_NODE
from smoketest.jobs import JobSteps
from smoketest.learner import LearnerSteps
from smoketest.nginx import NginxStep
from smoketest.support import PYTHON, Service, Settings, SmokeFailure, check, finish, tail, wait_for


class Smoke(LearnerSteps, ApiSteps, NginxStep, JobSteps, BackupSteps):
    """One smoke run: :meth:`run` takes the steps in order; :meth:`cleanup` always runs."""

    def run(self) -> None:
        self.prepare()
        self.install()
        web, worker, beat = self.start_stack()
        session = self.sign_in()
        certificate = self.complete_course(session, worker)
        worker = self.render_in_background(certificate)
        self.download(session, certificate)
        self.verify_publicly(certificate)
        self.api_and_webhook(worker)
        self.behind_nginx(certificate)
        worker = self.daily_job(worker)
        worker = self.interrupted_queue(worker)
        self.beat_alive(beat)
        # Quiet before the backup: nothing writes while it is taken.
        self.stop_worker(worker)
        beat.stop()
        certificate = self.certificate()
        pdf = (self.tmp / "private-media" / certificate["pdf"]).read_bytes()
        backup = self.backup()
        self.restore(backup)
        self.restored_site(certificate, pdf)
        web.stop()

    def prepare(self) -> None:
        with self.step("PostgreSQL and Redis") as notes:
            where = self.settings
            try:
                with self.admin_connection() as conn:
                    version = conn.execute("SHOW server_version").fetchone()[0]
            except psycopg.OperationalError as error:
                raise SmokeFailure(
                    f"PostgreSQL is not reachable as {where.pg_user}@{where.pg_host}:"
                    f"{where.pg_port} (set SMOKE_PG_HOST, SMOKE_PG_PORT, SMOKE_PG_USER): {error}"
                ) from None
            try:
                self.redis.ping()
            except redis.RedisError as error:
                raise SmokeFailure(
                    f"Redis is not reachable at {where.redis_host}:{where.redis_port} "
                    f"(set SMOKE_REDIS_HOST, SMOKE_REDIS_PORT): {error}"
                ) from None
            self.redis.flushdb()
            self.create_database(self.database)
            notes.append(f"PostgreSQL {version}, database {self.database}")
            notes.append(f"Redis db {self.settings.redis_db} flushed")

    def install(self) -> None:
        with self.step("migrate and load_demo, with collectstatic beside them") as notes:
            # collectstatic never touches the database: run it alongside.
            started = time.monotonic()
            collect = Service(
                "manage.py collectstatic",
                [PYTHON, "manage.py", "collectstatic", "--no-input"],
                self.env,
                self.logs / "collectstatic.log",
            ).start()
            try:
                self.manage("migrate", "--no-input", env=self.env)
                notes.append(f"migrate {time.monotonic() - started:.0f}s")
                self.manage("load_demo", env=self.env)
                notes.append(f"load_demo until {time.monotonic() - started:.0f}s")
                finish(collect, timeout=240)
            finally:
                collect.stop(timeout=5)
            manifest = self.tmp / "static" / "staticfiles.json"
            check(manifest.exists(), "collectstatic wrote no staticfiles.json (manifest storage)")
            files = sum(1 for _ in (self.tmp / "static").rglob("*"))
            notes.append(f"collectstatic {files} files until {time.monotonic() - started:.0f}s")

    def start_stack(self) -> tuple[Service, Service, Service]:
        with self.step("gunicorn, Celery worker and beat") as notes:
            web = self.gunicorn(self.env, "gunicorn")
            self.web_log = web.log
            (self.tmp / "beat").mkdir(exist_ok=True)
            beat = self.start(
                Service(
                    "beat",
                    [
                        PYTHON,
                        "-m",
                        "celery",
                        "-A",
                        "config",
                        "beat",
                        "--loglevel=INFO",
                        f"--schedule={self.tmp / 'beat' / 'celerybeat-schedule'}",
                        f"--hostname={BEAT_NODE}",
                        "--enable-remote-control",
                    ],
                    self.env,
                    self.logs / "beat.log",
                )
            )
            worker = self.worker()
            session = self.http()
            live = wait_for(
                "/health/live",
                lambda: (r := session.get(f"{self.base_url}/health/live", timeout=5)).ok and r,
                timeout=60,
                log=web.log,
                alive=web.assert_running,
            )
            check(live.json().get("status") == "ok", f"/health/live says {live.text}", web.log)
            response = self.get(session, "/health/")
            body = response.json()
            check(body.get("status") == "ok", f"/health/ says {body}", web.log)
            for name in ("database", "cache", "broker"):
                result = body.get("checks", {}).get(name, {})
                check(result.get("ok") is True, f"/health/ check {name} failed: {result}", web.log)
            check(
                "redis" in str(body["checks"]["broker"].get("detail", "")).lower(),
                f"/health/ broker is not Redis: {body['checks']['broker']}",
            )
            notes.append(f"http://127.0.0.1:{self.port}, /health/ ok")
            beat.assert_running()
        return web, worker, beat

    # --- the end ---

    def cleanup(self, *, failed: bool) -> None:
        for service in reversed(self.services):
            with contextlib.suppress(Exception):
                service.stop(timeout=20)
        with contextlib.suppress(Exception), self.admin_connection() as conn:
            for name in self.databases_created:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
        with contextlib.suppress(Exception):
            self.redis.flushdb()
        if failed or self.keep:
            print(f"Logs and files kept in {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def report(self) -> None:
        total = time.monotonic() - self.started
        print(f"\nSmoke test passed in {total:.0f}s:")
        for name, seconds, _ in self.steps:
            print(f"  {seconds:6.1f}s  {name}")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and logs")
    args = parser.parse_args(argv)

    # A terminated run (CI's time limit, kill) cleans up like Ctrl+C does, and Ctrl+C
    # works even where the script was started with SIGINT ignored (in the background).
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    smoke = Smoke(Settings.from_env(), keep=args.keep)
    failed = True
    try:
        smoke.run()
        failed = False
    except SmokeFailure as failure:
        print(f"\nSMOKE TEST FAILED: {failure}", file=sys.stderr)
        if failure.log is not None:
            print(f"--- last lines of {failure.log} ---", file=sys.stderr)
            print(tail(failure.log), file=sys.stderr)
    except KeyboardInterrupt:
        print("\nInterrupted: stopping processes and cleaning up", file=sys.stderr)
    except Exception:  # noqa: BLE001 - an error in the script itself, or a service it needs
        print("\nSMOKE TEST FAILED with an unexpected error:", file=sys.stderr)
        traceback.print_exc()
        if smoke.web_log is not None:
            print(f"--- last lines of {smoke.web_log} ---", file=sys.stderr)
            print(tail(smoke.web_log), file=sys.stderr)
    finally:
        smoke.cleanup(failed=failed)
    if failed:
        return 1
    smoke.report()
    return 0


if __name__ == "__main__":
    sys.exit(main())
