"""What the benchmark scripts share: which database they use, Django set-up, a progress
bar, machine facts and ``bench/results.json``.

The benchmark database is never the developer's ``db.sqlite3``:

- ``--database-url URL`` (or ``BENCH_DATABASE_URL``): that database, as given;
- ``--postgres``, or ``DATABASE_URL`` naming a PostgreSQL server: the database
  ``fledge_bench`` on that server (``postgres://postgres@127.0.0.1:5432/fledge_bench``
  with ``--postgres`` alone);
- otherwise SQLite in ``bench/bench.sqlite3`` (``--sqlite PATH`` for another file).
"""

import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results.json"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/fledge_bench"
DEFAULT_SQLITE_PATH = BENCH_DIR / "bench.sqlite3"
BENCH_DATABASE_NAME = "fledge_bench"

#: Every generated account signs in with this password (hashed once, assigned in bulk).
PASSWORD = "fledge-bench-password"  # noqa: S105 - a benchmark fixture, not a secret
#: The learner with 20 enrolments and 10 assignments whose pages are measured.
LEARNER = "bench-learner"
#: A superuser for the compliance reports.
ADMIN = "bench-admin"
#: Prefix of the generated learners' usernames (``bench-user-00001``).
USER_PREFIX = "bench-user-"


def add_database_arguments(parser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--postgres",
        action="store_true",
        help=f"use PostgreSQL ({DEFAULT_POSTGRES_URL} unless DATABASE_URL names a server)",
    )
    group.add_argument("--sqlite", metavar="PATH", help="use this SQLite file")
    group.add_argument("--database-url", metavar="URL", help="use exactly this database")


def database_url(options, *, postgres: bool = False) -> str:
    """The benchmark database's URL for the parsed ``options`` (see the module doc)."""
    explicit = getattr(options, "database_url", None) or os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        return explicit
    sqlite_path = getattr(options, "sqlite", None)
    if sqlite_path:
        return f"sqlite:///{Path(sqlite_path).resolve()}"
    server = os.environ.get("DATABASE_URL", "")
    if server.startswith(("postgres://", "postgresql://", "pgsql://")):
        parts = urlsplit(server)
        return urlunsplit(parts._replace(path="/" + BENCH_DATABASE_NAME))
    if postgres or getattr(options, "postgres", False):
        return DEFAULT_POSTGRES_URL
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def is_postgres(url: str) -> bool:
    return not url.startswith("sqlite")


def sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///").removeprefix("sqlite://"))


def describe(url: str) -> str:
    """The URL without a password, for printing."""
    if not is_postgres(url):
        return f"SQLite {sqlite_path(url)}"
    parts = urlsplit(url)
    host = parts.hostname or ""
    user = f"{parts.username}@" if parts.username else ""
    return f"PostgreSQL {user}{host}:{parts.port or 5432}{parts.path}"


def setup_django(url: str, **env: str) -> None:
    """Point the settings at the benchmark database (plus ``env``) and set Django up."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    if not is_postgres(url):
        os.environ["FLEDGE_SQLITE_PATH"] = str(sqlite_path(url))
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Progress:
    """A one-line progress bar on stderr: ``label [#####.....] 45% 1,234/2,740 3.1s``."""

    WIDTH = 30

    def __init__(self, label: str, total: int):
        self.label = label
        self.total = max(total, 1)
        self.done = 0
        self.started = time.perf_counter()
        self._drawn = 0.0
        self.tty = sys.stderr.isatty()
        self._draw(force=True)

    def update(self, count: int = 1) -> None:
        self.done += count
        self._draw()

    def _draw(self, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self._drawn < (0.2 if self.tty else 5.0):
            return
        self._drawn = now
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * self.WIDTH)
        line = (
            f"{self.label:<22} [{bar:<{self.WIDTH}}] {share:4.0%} "
            f"{self.done:,}/{self.total:,} {now - self.started:.1f}s"
        )
        print(("\r" if self.tty else "") + line, end="" if self.tty else "\n", file=sys.stderr)
        sys.stderr.flush()

    def close(self) -> float:
        self._draw(force=True)
        if self.tty:
            print(file=sys.stderr)
        return time.perf_counter() - self.started


def machine() -> dict:
    cpu_model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory_gb = round(pages / 1024**3, 1)
    except (ValueError, OSError, AttributeError):
        pass
    try:
        load = [round(value, 2) for value in os.getloadavg()]
    except OSError:
        load = None
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model or platform.processor() or platform.machine(),
        "memory_gb": memory_gb,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_start": load,
    }


def code_version() -> str:
    """The commit measured (``BENCH_COMMIT`` names it for a tree without .git), with
    "+changes" when the work tree differs from it."""
    import subprocess

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return os.environ.get("BENCH_COMMIT", "unknown")
    return commit + ("+changes" if dirty else "")


def now_iso() -> str:
    return datetime.now(tz=UTC).isoformat(timespec="seconds")


def read_results() -> dict:
    try:
        return json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        return {}


def write_results(data: dict) -> None:
    RESULTS.write_text(json.dumps(data, indent=2, default=str) + "\n")
