"""Settings come from environment variables, with safe defaults for the embedded path."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, config.settings as s; print(json.dumps({"
    "'db': s.DATABASES['default'], 'cache': s.CACHES['default']['BACKEND'],"
    "'broker': s.CELERY_BROKER_URL, 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
    "'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'signup': s.FLEDGE_ALLOW_SIGNUP,"
    "'tz': s.TIME_ZONE, 'email': s.EMAIL_BACKEND, 'hsts': s.SECURE_HSTS_SECONDS,"
    "'secure_cookies': s.SESSION_COOKIE_SECURE,"
    "'cache_options': s.CACHES['default'].get('OPTIONS', {}),"
    "'broker_options': s.CELERY_BROKER_TRANSPORT_OPTIONS,"
    "'broker_connect': s.CELERY_BROKER_CONNECTION_TIMEOUT,"
    "'breaker': s.FLEDGE_CACHE_RETRY_SECONDS, 'retry_after': s.FLEDGE_RETRY_AFTER_SECONDS,"
    "'time_limit': s.CELERY_TASK_TIME_LIMIT, 'acks_late': s.CELERY_TASK_ACKS_LATE,"
    "'reject_on_worker_lost': s.CELERY_TASK_REJECT_ON_WORKER_LOST,"
    "}, default=str))"
)
VARIABLES = [
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "FLEDGE_ALLOW_SIGNUP",
    "FLEDGE_TIME_ZONE",
    "EMAIL_BACKEND",
    "FLEDGE_REDIS_CONNECT_TIMEOUT",
    "FLEDGE_REDIS_TIMEOUT",
    "FLEDGE_CACHE_RETRY_SECONDS",
    "FLEDGE_DB_CONNECT_TIMEOUT",
    "FLEDGE_RETRY_AFTER_SECONDS",
    "FLEDGE_TASK_TIME_LIMIT_SECONDS",
    "FLEDGE_TASK_VISIBILITY_SECONDS",
]


def load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def settings_with(**env: str) -> dict:
    result = load_settings(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


class TestSettingsFromEnvironment:
    def test_defaults_are_sqlite_locmem_and_eager_tasks(self):
        s = settings_with()
        assert s["db"]["ENGINE"] == "django.db.backends.sqlite3"
        assert s["db"]["OPTIONS"] == {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA cache_size=-65536",
        }
        assert s["cache"].endswith("LocMemCache")
        assert s["eager"] is True
        assert s["debug"] is True
        assert s["email"].endswith("console.EmailBackend")

    def test_sqlite_page_cache_comes_from_the_environment(self):
        s = settings_with(FLEDGE_SQLITE_CACHE_MB="8")
        assert s["db"]["OPTIONS"]["init_command"].endswith("PRAGMA cache_size=-8192")

    def test_database_url_selects_postgresql(self):
        s = settings_with(DATABASE_URL="postgres://fledge:pw@db.internal:5433/fledge")
        assert s["db"]["ENGINE"] == "django.db.backends.postgresql"
        assert (s["db"]["HOST"], s["db"]["PORT"], s["db"]["NAME"]) == (
            "db.internal",
            5433,
            "fledge",
        )
        assert "transaction_mode" not in s["db"].get("OPTIONS", {})

    def test_redis_url_switches_on_redis_cache_and_the_broker(self):
        s = settings_with(REDIS_URL="redis://127.0.0.1:6379/3")
        assert s["cache"] == "base.redis_cache.FailOpenRedisCache"
        assert s["broker"] == "redis://127.0.0.1:6379/3"
        assert s["eager"] is False

    def test_every_redis_client_gives_up_within_a_fraction_of_a_second(self):
        s = settings_with(REDIS_URL="redis://127.0.0.1:6379/3")
        timeouts = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
        assert s["cache_options"] == timeouts
        assert s["broker_options"] | timeouts == s["broker_options"]
        assert s["broker_connect"] == 0.25
        assert (s["breaker"], s["retry_after"]) == (5, 30)

    def test_outage_timeouts_come_from_the_environment(self):
        s = settings_with(
            REDIS_URL="redis://127.0.0.1:6379/3",
            DATABASE_URL="postgres://fledge:pw@db.internal:5433/fledge",
            FLEDGE_REDIS_CONNECT_TIMEOUT="0.1",
            FLEDGE_REDIS_TIMEOUT="0.2",
            FLEDGE_CACHE_RETRY_SECONDS="1.5",
            FLEDGE_DB_CONNECT_TIMEOUT="3",
            FLEDGE_RETRY_AFTER_SECONDS="120",
        )
        assert s["cache_options"] == {"socket_connect_timeout": 0.1, "socket_timeout": 0.2}
        timeouts = {"socket_connect_timeout": 0.1, "socket_timeout": 0.2}
        assert s["broker_options"] | timeouts == s["broker_options"]
        assert s["db"]["OPTIONS"]["connect_timeout"] == 3
        assert (s["breaker"], s["retry_after"]) == (1.5, 120)

    def test_jobs_of_a_killed_worker_come_back_within_a_minute(self):
        s = settings_with(REDIS_URL="redis://127.0.0.1:6379/3")
        assert s["acks_late"] is True and s["reject_on_worker_lost"] is True
        options = s["broker_options"]
        # Bounded jobs; unacknowledged ones handed out again 50 s after delivery, looked
        # for every 5 s (kombu's default: every 100 s, after an hour).
        assert (s["time_limit"], options["visibility_timeout"]) == (45, 50)
        assert (options["unacked_restore_interval"], options["unacked_restore_throttle"]) == (5, 1)

    def test_job_bounds_come_from_the_environment(self):
        s = settings_with(
            REDIS_URL="redis://127.0.0.1:6379/3",
            FLEDGE_TASK_TIME_LIMIT_SECONDS="300",
            FLEDGE_TASK_VISIBILITY_SECONDS="330",
        )
        assert (s["time_limit"], s["broker_options"]["visibility_timeout"]) == (300, 330)
        assert s["broker_options"]["unacked_restore_interval"] == 33

    def test_a_visibility_timeout_within_the_time_limit_is_refused(self):
        result = load_settings(
            FLEDGE_TASK_TIME_LIMIT_SECONDS="60", FLEDGE_TASK_VISIBILITY_SECONDS="60"
        )
        assert result.returncode != 0
        assert "FLEDGE_TASK_VISIBILITY_SECONDS must exceed" in result.stderr

    def test_production_needs_a_secret_key(self):
        result = load_settings(DJANGO_DEBUG="0")
        assert result.returncode != 0
        assert "DJANGO_SECRET_KEY must be set" in result.stderr

    def test_production_values(self):
        s = settings_with(
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="x" * 50,
            DJANGO_ALLOWED_HOSTS="learn.example.org, www.example.org",
            FLEDGE_ALLOW_SIGNUP="0",
            FLEDGE_TIME_ZONE="America/New_York",
        )
        assert s["debug"] is False
        assert s["hosts"] == ["learn.example.org", "www.example.org"]
        assert s["signup"] is False
        assert s["tz"] == "America/New_York"
        assert s["hsts"] == 31_536_000
        assert s["secure_cookies"] is True


@pytest.mark.django_db
def test_migrations_are_committed():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_without_a_broker_tasks_run_eagerly_in_memory():
    s = settings_with()
    assert (s["broker"], s["eager"]) == ("memory://localhost/", True)
