"""The smoke test's plumbing: its environment, databases, processes, broker, mail and
HTTP helpers, shared by the steps."""

from __future__ import annotations

import contextlib
import email
import os
import re
import secrets
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import psycopg
import redis
import requests
from celery import Celery
from psycopg import sql

from .support import (
    PYTHON,
    Service,
    Settings,
    SmokeFailure,
    check,
    free_port,
    run_command,
    wait_for,
)

#: The demo learner and the demo course that issues certificates (lessons/demo/courses.py).
LEARNER = "learner"
COURSE_SLUG = "security-awareness-essentials"
#: Celery node names, so that the script can ping exactly its own processes.
WORKER_NODE = "smoke-worker@fledge-smoke"
BEAT_NODE = "smoke-beat@fledge-smoke"
#: The file-based email backend separates messages in a file with this line.
MAIL_SEPARATOR = "\n" + "-" * 79 + "\n"

#: Variables of the calling shell that would change what is being tested.
INHERITED_PREFIXES = (
    "DJANGO_",
    "FLEDGE_",
    "CELERY_",
    "GUNICORN_",
    "EMAIL_",
    "DATABASE_",
    "REDIS_",
    "CACHE_",
    "WAGTAIL",
    "BACKUP_",
    "MANAGE",
)


class SmokeBase:
    """State and helpers of one smoke run; the steps are in the mixins beside it."""

    def __init__(self, settings: Settings, *, keep: bool) -> None:
        self.settings = settings
        self.keep = keep
        self.tmp = Path(tempfile.mkdtemp(prefix="fledge-smoke-"))
        self.logs = self.tmp / "logs"
        self.logs.mkdir()
        self.database = f"fledge_smoke_{os.getpid()}"
        self.restored_database = f"{self.database}_restored"
        self.databases_created: list[str] = []
        self.services: list[Service] = []
        self.steps: list[tuple[str, float, str]] = []
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.password = secrets.token_urlsafe(18)
        self.broker = Celery("fledge-smoke", broker=settings.redis_url)
        self.broker.conf.broker_connection_retry_on_startup = True
        self.redis = redis.Redis.from_url(
            settings.redis_url, socket_timeout=10, socket_connect_timeout=5
        )
        # One secret for the original and the restored site, as for a real restore.
        self.secret_key = secrets.token_urlsafe(50)
        self.web_log: Path | None = None
        self.worker_runs = 0
        self.started = time.monotonic()
        self.env = self.environment(
            database=self.database,
            media=self.tmp,
            port=self.port,
            cache_prefix=f"fledge_smoke_{os.getpid()}",
        )

    # --- plumbing ---

    def environment(self, *, database: str, media: Path, port: int, cache_prefix: str) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(INHERITED_PREFIXES) and key not in {"DEFAULT_FROM_EMAIL"}
        }
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "PYTHONUNBUFFERED": "1",
                "DJANGO_DEBUG": "0",
                "DJANGO_SECRET_KEY": self.secret_key,
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
                "DATABASE_URL": self.settings.database_url(database),
                "REDIS_URL": self.settings.redis_url,
                "CELERY_TASK_ALWAYS_EAGER": "0",
                "CACHE_KEY_PREFIX": cache_prefix,
                # Loopback has no TLS: without these, Django would redirect every request
                # to https:// and the client would never send back its Secure cookies.
                # Everything else is production's default for DJANGO_DEBUG=0.
                "DJANGO_SECURE_SSL_REDIRECT": "0",
                "DJANGO_SECURE_COOKIES": "0",
                "DJANGO_MEDIA_ROOT": str(media / "media"),
                "FLEDGE_PRIVATE_MEDIA_ROOT": str(media / "private-media"),
                "DJANGO_STATIC_ROOT": str(self.tmp / "static"),
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(self.tmp / "mail"),
                "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
                # Every demo user gets this random password instead of the documented one.
                "FLEDGE_DEMO_PASSWORD": self.password,
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "GUNICORN_WORKERS": "2",
                "GUNICORN_THREADS": "2",
            }
        )
        return env

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[list[str]]:
        started = time.monotonic()
        notes: list[str] = []
        print(f"- {name} …", flush=True)
        yield notes
        elapsed = time.monotonic() - started
        self.steps.append((name, elapsed, "; ".join(notes)))
        detail = f" ({'; '.join(notes)})" if notes else ""
        print(f"  ok {elapsed:5.1f}s{detail}", flush=True)

    def admin_connection(self) -> psycopg.Connection:
        return psycopg.connect(
            host=self.settings.pg_host,
            port=self.settings.pg_port,
            user=self.settings.pg_user,
            password=self.settings.pg_password or None,
            dbname="postgres",
            autocommit=True,
            connect_timeout=5,
        )

    def query(self, statement: str, params: tuple = (), *, database: str | None = None) -> list:
        with psycopg.connect(
            self.settings.database_url(database or self.database), connect_timeout=5
        ) as conn:
            rows = conn.execute(statement, params)
            return rows.fetchall() if rows.description else []

    def create_database(self, name: str) -> None:
        with self.admin_connection() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.databases_created.append(name)

    def manage(self, *args: str, env: dict, timeout: float = 300, log_name: str = "") -> str:
        name = log_name or args[0]
        return run_command(
            f"manage.py {' '.join(args)}",
            [PYTHON, "manage.py", *args],
            env=env,
            log=self.logs / f"{name}.log",
            timeout=timeout,
        )

    def start(self, service: Service) -> Service:
        self.services.append(service.start())
        return service

    def gunicorn(self, env: dict, name: str) -> Service:
        return self.start(
            Service(
                name,
                [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "config.wsgi"],
                env,
                self.logs / f"{name}.log",
            )
        )

    def worker(self, *, concurrency: int = 2, wait: bool = True) -> Service:
        """Start a worker; with ``wait``, return once it answers a ping."""
        self.worker_runs += 1
        name = f"worker-{self.worker_runs}"
        service = self.start(
            Service(
                name,
                [
                    PYTHON,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "--loglevel=INFO",
                    f"--hostname={WORKER_NODE}",
                    f"--concurrency={concurrency}",
                    "--without-gossip",
                    "--without-mingle",
                ],
                self.env,
                self.logs / f"{name}.log",
            )
        )
        if not wait:
            return service
        wait_for(
            f"{name} to answer a ping",
            lambda: self.ping(WORKER_NODE),
            timeout=60,
            interval=0.5,
            log=service.log,
            alive=service.assert_running,
        )
        return service

    def ping(self, node: str) -> list:
        return self.broker.control.ping(destination=[node], timeout=1.0, limit=1)

    def stop_worker(self, worker: Service) -> None:
        status = worker.stop(timeout=60)
        check(status == 0, f"{worker.name} did not shut down cleanly (exit {status})", worker.log)

    def send(self, task: str, *args: Any) -> str:
        task_id = str(uuid.uuid4())
        self.broker.send_task(task, args=list(args), task_id=task_id)
        return task_id

    def worker_logs(self) -> str:
        return "".join(path.read_text(errors="replace") for path in self.logs.glob("worker-*.log"))

    def succeeded(self, task_ids: list[str]) -> dict[str, int]:
        """How many times each task has succeeded, by the workers' logs."""
        logs = self.worker_logs()
        return {task_id: logs.count(f"[{task_id}] succeeded") for task_id in task_ids}

    def wait_for_tasks(self, task_ids: list[str], worker: Service, *, timeout: float) -> None:
        def done() -> bool:
            logs = self.worker_logs()
            for task_id in task_ids:
                if re.search(rf"\[{task_id}\] (raised|retry)", logs):
                    raise SmokeFailure(f"task {task_id} failed", worker.log)
            return all(f"[{task_id}] succeeded" in logs for task_id in task_ids)

        wait_for(
            f"{len(task_ids)} task(s) to finish",
            done,
            timeout=timeout,
            log=worker.log,
            alive=worker.assert_running,
        )

    def queued(self) -> int:
        return int(self.redis.llen("celery"))

    def unacked(self) -> int:
        return int(self.redis.hlen("unacked"))

    def emails(self) -> list[email.message.Message]:
        messages = []
        for path in sorted((self.tmp / "mail").glob("*.log")):
            for chunk in path.read_bytes().decode(errors="replace").split(MAIL_SEPARATOR):
                if chunk.strip():
                    messages.append(email.message_from_string(chunk))
        return messages

    def notification_counts(self) -> dict[str, int]:
        """Compliance messages (rows, distinct keys, sent) and every email that should
        be in the mail folder: compliance messages sent to an address, and the email
        outbox's sent rows (the demo's enrolment emails, sent by the worker)."""
        (row,) = self.query(
            """
            SELECT count(*), count(DISTINCT n.key), count(n.sent_at),
                   count(*) FILTER (WHERE n.sent_at IS NOT NULL AND u.email <> '')
                   + (SELECT count(*) FROM notifications_outgoingemail o
                      WHERE o.sent_at IS NOT NULL)
            FROM compliance_notificationlog n JOIN auth_user u ON u.id = n.recipient_id
            """
        )
        return dict(zip(("rows", "keys", "sent", "emailed"), row, strict=True))

    def outbox_counts(self) -> tuple[int, int]:
        """The email outbox: (rows, sent)."""
        ((rows, sent),) = self.query(
            "SELECT count(*), count(sent_at) FROM notifications_outgoingemail"
        )
        return rows, sent

    def certificate(self, *, database: str | None = None) -> dict:
        rows = self.query(
            """
            SELECT c.id, c.number, c.verification_code, c.pdf, c.rendered_at,
                   c.rendered_version, c.holder_name, c.course_title
            FROM certificates_certificate c
            JOIN auth_user u ON u.id = c.user_id
            JOIN wagtailcore_page p ON p.id = c.course_id
            WHERE u.username = %s AND p.slug = %s AND c.revoked_at IS NULL
            ORDER BY c.id DESC
            """,
            (LEARNER, COURSE_SLUG),
            database=database,
        )
        check(rows, f"{LEARNER} has no certificate for {COURSE_SLUG}")
        keys = ("id", "number", "code", "pdf", "rendered_at", "version", "holder", "title")
        return dict(zip(keys, rows[0], strict=True))

    def http(self) -> requests.Session:
        session = requests.Session()
        session.headers["User-Agent"] = "fledge-smoke"
        return session

    def get(self, session: requests.Session, url: str, *, status: int = 200, **kw):
        response = session.get(urljoin(self.base_url, url), timeout=30, **kw)
        check(
            response.status_code == status,
            f"GET {url}: expected {status}, got {response.status_code}",
            self.web_log,
        )
        return response

    def post(self, session: requests.Session, url: str, data: dict, *, status: int = 302):
        response = session.post(
            urljoin(self.base_url, url), data=data, timeout=60, allow_redirects=False
        )
        check(
            response.status_code == status,
            f"POST {url}: expected {status}, got {response.status_code}",
            self.web_log,
        )
        return response
