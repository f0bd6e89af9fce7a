"""Real Celery workers for the fault tests: started as ``celery -A config worker``
subprocesses on the test database and the test's own Redis, killed with SIGKILL.

Each worker runs in a process group of its own, so a test can kill the main process and
its pool children at once (as an OOM killer or a lost machine would), and the fixture
that started it can always clean it up, whatever the test did. The helpers here know
Celery only from outside: its command line, its log, its processes, and the Redis keys
of kombu's Redis transport (the ``celery`` list of queued jobs, the ``unacked`` hash of
jobs delivered but not acknowledged).
"""

from __future__ import annotations

import email
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from email.message import Message
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.db import connection

import redis
from celery import Celery

ROOT = Path(__file__).resolve().parents[2]
#: Variables of the calling shell that would change what is being tested.
INHERITED_PREFIXES = ("DJANGO_", "FLEDGE_", "CELERY_", "EMAIL_", "DATABASE_", "REDIS_", "CACHE_")
#: The file-based email backend separates messages in a file with this line.
MAIL_SEPARATOR = "\n" + "-" * 79 + "\n"

T = TypeVar("T")


def wait_for(what: str, check: Callable[[], T], *, seconds: float, every: float = 0.1) -> T:
    """Poll ``check`` until it returns something true; return it, or fail after
    ``seconds`` saying what was awaited."""
    deadline = time.monotonic() + seconds
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {seconds} s waiting for {what}")
        time.sleep(every)


def database_url() -> str:
    """The URL of the database the tests run on (pytest-django's test database)."""
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def worker_environment(*, broker_url: str, workdir: Path, **extra: str) -> dict[str, str]:
    """The environment of a worker: the test database, the test's Redis as broker
    (tasks not eager), emails written to files in ``workdir/mail``, files in
    ``workdir``; ``extra`` variables last."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(INHERITED_PREFIXES)
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONUNBUFFERED": "1",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(workdir / "mail"),
            "DJANGO_MEDIA_ROOT": str(workdir / "media"),
            "FLEDGE_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
            "WAGTAILADMIN_BASE_URL": settings.WAGTAILADMIN_BASE_URL,
            "DJANGO_LOG_FORMAT": "text",
            "DJANGO_LOG_LEVEL": "INFO",
        }
    )
    env.update(extra)
    return env


class Worker:
    """One ``celery -A config worker`` (prefork) in a process group of its own."""

    def __init__(self, *, name: str, env: dict[str, str], log: Path, concurrency: int = 1):
        self.name = name
        self.log = log
        self.env = env
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None

    def start(self, *, beat: bool = False) -> Worker:
        """Start the worker (with an embedded beat when ``beat``); return once it is
        ready to take jobs."""
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            f"--concurrency={self.concurrency}",
            "--loglevel=INFO",
            f"--hostname={self.name}@faults",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        if beat:
            command += ["--beat", f"--schedule={self.log.with_suffix('.beat')}"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
                command,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(f"worker {self.name} to be ready", self._ready, seconds=45)
        return self

    def _ready(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"worker {self.name} exited:\n{self.log_tail()}")
        return f"{self.name}@faults ready." in self.log.read_text(errors="replace")

    @property
    def pid(self) -> int:
        assert self.process is not None, "not started"
        return self.process.pid

    def pool_children(self) -> list[int]:
        """The pool processes' ids (Linux: from /proc)."""
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill_pool_child(self) -> int:
        """SIGKILL the pool process (there is one per concurrency slot; with more than
        one, the first); return its id. The main process stays up and forks another."""
        child = wait_for("a pool process", self.pool_children, seconds=10)[0]
        os.kill(child, signal.SIGKILL)
        return child

    def kill(self) -> None:
        """SIGKILL the whole worker, main process and pool, at once."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def log_count(self, needle: str) -> int:
        return self.log.read_text(errors="replace").count(needle) if self.log.exists() else 0


class Broker:
    """The test's Redis as a Celery broker: publish jobs by name, look at its queues."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.redis = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
        # An app of the test's own: the project's app runs tasks eagerly in tests.
        self.app = Celery("fledge-faults", broker=url, set_as_current=False)

    def send(self, task: str, *args: object) -> str:
        """Publish a job for ``task`` (its dotted name) and return its id."""
        # An explicit connection: Celery prefers CELERY_BROKER_URL from the environment
        # (the suite's own broker in CI) to the URL an app is given.
        with self.app.connection_for_write(self.url) as broker:
            return self.app.send_task(task, args=args, connection=broker).id

    def queued(self) -> int:
        return int(self.redis.llen("celery"))

    def unacked(self) -> int:
        return int(self.redis.hlen("unacked"))

    def idle(self) -> bool:
        """Nothing queued and nothing held by a worker: no job left to run again."""
        return self.queued() == 0 and self.unacked() == 0

    def close(self) -> None:
        self.app.close()
        self.redis.close()


def emails(mail_dir: Path) -> list[Message]:
    """Every email the file-based backend wrote into ``mail_dir``."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        for chunk in path.read_bytes().decode(errors="replace").split(MAIL_SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_string(chunk))
    return messages
