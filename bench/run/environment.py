"""The settings ``bench.run`` measures under: production's, minus TLS, with mail in
memory and tasks in-process, and the manifest static files they need."""

import os
import secrets
import subprocess
import sys
import time

from .. import common

STATIC_ROOT = common.BENCH_DIR / ".staticfiles"


def bench_env(redis_url: str | None) -> dict[str, str]:
    """Production settings, minus TLS (the test client and loopback have none), with
    mail in memory and tasks in-process."""
    env = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
        "DJANGO_STATIC_ROOT": str(STATIC_ROOT),
        "DJANGO_LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "CACHE_KEY_PREFIX": "fledge-bench",
        # A run makes thousands of API calls with one token: no throttling in the way.
        "FLEDGE_API_RATE": "1000000/minute",
        "FLEDGE_API_VERIFY_RATE": "1000000/minute",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def collect_static(env: dict[str, str]) -> float:
    """``collectstatic`` for the manifest storage that DJANGO_DEBUG=0 uses."""
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=common.ROOT,
        env={**os.environ, **env},
        check=True,
    )
    return time.perf_counter() - started
