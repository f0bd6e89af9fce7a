"""Support for the smoke test: failures and bounded waits, processes, HTML forms and
where PostgreSQL and Redis are."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import redis
import requests

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BASH = shutil.which("bash") or "/bin/bash"
LOG_TAIL_LINES = 40


class SmokeFailure(Exception):
    """A check failed; ``log`` is the process log that explains it, if any."""

    def __init__(self, message: str, log: Path | None = None) -> None:
        super().__init__(message)
        self.log = log


def check(condition: object, message: str, log: Path | None = None) -> None:
    if not condition:
        raise SmokeFailure(message, log)


def wait_for(
    what: str,
    probe: Callable[[], Any],
    *,
    timeout: float,
    interval: float = 0.25,
    log: Path | None = None,
    alive: Callable[[], None] | None = None,
) -> Any:
    """Call ``probe`` until it returns something truthy; fail after ``timeout`` seconds.

    Connection errors count as "not yet". ``alive`` is called on every round and may
    fail early, e.g. when the process being waited for has exited.
    """
    deadline = time.monotonic() + timeout
    last_error = ""
    while True:
        if alive is not None:
            alive()
        try:
            result = probe()
        except (requests.RequestException, OSError, redis.RedisError) as error:
            result, last_error = None, f" (last error: {type(error).__name__}: {error})"
        if result:
            return result
        if time.monotonic() >= deadline:
            raise SmokeFailure(
                f"timed out after {timeout:.0f}s waiting for {what}{last_error}", log
            )
        time.sleep(interval)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path: Path | None, lines: int = LOG_TAIL_LINES) -> str:
    if path is None or not path.exists():
        return ""
    text = path.read_text(errors="replace").splitlines()
    return "\n".join(text[-lines:])


# --- Processes ------------------------------------------------------------------------


@dataclass
class Service:
    """A long-running process (gunicorn, a worker, beat) in its own process group,
    logging to a file."""

    name: str
    argv: list[str]
    env: dict[str, str]
    log: Path
    popen: subprocess.Popen | None = None

    def start(self) -> Service:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as output:
            self.popen = subprocess.Popen(  # noqa: S603 - our own argv, no shell
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def assert_running(self) -> None:
        if self.popen is not None and self.popen.poll() is not None:
            raise SmokeFailure(
                f"{self.name} exited unexpectedly with status {self.popen.returncode}", self.log
            )

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self, *, timeout: float = 30) -> int | None:
        """Ask the main process to stop (SIGTERM: gunicorn's graceful and Celery's warm
        shutdown), wait, then kill whatever is left of its process group."""
        if self.popen is None or self.popen.poll() is not None:
            return None if self.popen is None else self.popen.returncode
        with contextlib.suppress(ProcessLookupError):
            self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            print(f"  ! {self.name} did not stop within {timeout:.0f}s: killing it")
        # Children it left behind (gunicorn's or Celery's workers) share its group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=10)
        return self.popen.returncode


def run_command(
    name: str, argv: list[str], *, env: dict[str, str], log: Path, timeout: float
) -> str:
    """Run a command to completion (bounded), logging its output; fail on a non-zero exit."""
    return finish(Service(name, argv, env, log).start(), timeout=timeout)


def finish(service: Service, *, timeout: float) -> str:
    """Wait (bounded) for a started command; fail on a non-zero exit."""
    name, log = service.name, service.log
    try:
        service.popen.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        service.stop(timeout=5)
        raise SmokeFailure(f"{name} did not finish within {timeout:.0f}s", log) from None
    check(service.popen.returncode == 0, f"{name} failed (exit {service.popen.returncode})", log)
    return service.log_text()


# --- HTML forms -----------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, type, value)

    def hidden(self) -> dict[str, str]:
        return {name: value for name, kind, value in self.fields if kind == "hidden" and name}

    def names(self) -> set[str]:
        return {name for name, _, _ in self.fields if name}


class FormParser(HTMLParser):
    """Collects every form with its inputs, and the stylesheet links."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.stylesheets: list[str] = []
        self._current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._current = Form(values.get("action", ""), values.get("method", "get").lower())
            self.forms.append(self._current)
        elif tag in {"input", "button", "textarea", "select"} and self._current is not None:
            self._current.fields.append(
                (values.get("name", ""), values.get("type", tag), values.get("value", ""))
            )
        elif tag == "link" and values.get("rel") == "stylesheet":
            self.stylesheets.append(values.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def parse_html(html: str) -> FormParser:
    parser = FormParser()
    parser.feed(html)
    return parser


def find_form(html: str, action_part: str, what: str) -> Form:
    for form in parse_html(html).forms:
        if action_part in form.action and form.method == "post":
            return form
    raise SmokeFailure(f"no {what} form (action containing {action_part!r}) on the page")


# --- The smoke run --------------------------------------------------------------------


@dataclass
class Settings:
    """Where PostgreSQL and Redis are, from the environment."""

    pg_host: str
    pg_port: int
    pg_user: str
    pg_password: str
    redis_host: str
    redis_port: int
    redis_db: int

    @classmethod
    def from_env(cls) -> Settings:
        def pick(*names: str, default: str) -> str:
            for name in names:
                if os.environ.get(name):
                    return os.environ[name]
            return default

        return cls(
            pg_host=pick("SMOKE_PG_HOST", "CI_PG_HOST", default="127.0.0.1"),
            pg_port=int(pick("SMOKE_PG_PORT", "CI_PG_PORT", default="5432")),
            pg_user=pick("SMOKE_PG_USER", "CI_PG_USER", default="postgres"),
            pg_password=os.environ.get("PGPASSWORD", ""),
            redis_host=pick("SMOKE_REDIS_HOST", "CI_REDIS_HOST", default="127.0.0.1"),
            redis_port=int(pick("SMOKE_REDIS_PORT", "CI_REDIS_PORT", default="6379")),
            redis_db=int(pick("SMOKE_REDIS_DB", default="14")),
        )

    def database_url(self, name: str) -> str:
        password = f":{quote(self.pg_password, safe='')}" if self.pg_password else ""
        return f"postgres://{self.pg_user}{password}@{self.pg_host}:{self.pg_port}/{name}"

    @property
    def redis_url(self) -> str:
        return f"redis://{self.redis_host}:{self.redis_port}/{self.redis_db}"
