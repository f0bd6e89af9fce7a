"""Gunicorn settings for Fledge: ``gunicorn -c deploy/gunicorn.conf.py config.wsgi``.

Every value can be changed through an environment variable, so the same file serves
the container (``docker-compose.yml``) and a plain host (``deploy/smoke.py`` binds
127.0.0.1 on a free port):

``GUNICORN_BIND``                  address to listen on (``0.0.0.0:8000``)
``GUNICORN_WORKERS``               worker processes (2 × CPUs + 1)
``GUNICORN_THREADS``               threads per worker (4)
``GUNICORN_TIMEOUT``               seconds before a silent worker is restarted (60)
``GUNICORN_MAX_REQUESTS``          requests before a worker is recycled (1000, 0 = never)
``GUNICORN_FORWARDED_ALLOW_IPS``   proxies trusted for X-Forwarded-Proto (``127.0.0.1,::1``)
``GUNICORN_LOG_LEVEL``             error log level (``info``)
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def _cpus() -> int:
    # The CPUs this process may run on (a container's CPU set), not the host's count.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        return os.cpu_count() or 1


# In the container gunicorn listens on every interface of the private compose network;
# only nginx is published. On a host, bind 127.0.0.1 (the smoke test does).
bind = [os.environ.get("GUNICORN_BIND") or "0.0.0.0:8000"]  # noqa: S104
workers = _int("GUNICORN_WORKERS", 2 * _cpus() + 1)
# Threads let a worker overlap requests that wait on the database or Redis.
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# nginx keeps connections to the upstream open (see nginx.conf).
keepalive = 5
# Recycle workers now and then so a slow leak never grows without bound; the jitter
# keeps them from restarting all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = max_requests // 10
# Import Django and Wagtail once in the master and fork workers from it: a recycled
# worker starts in milliseconds instead of spending seconds of CPU importing, which
# stalls everyone else's requests on a small machine. (No connections are opened at
# import time, so nothing is shared between workers by accident.)
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"

# The access log is off: the application logs one JSON line per request itself, with
# the user and timing, so gunicorn's line would only duplicate it.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL") or "info"

# Which front ends may set X-Forwarded-Proto for wsgi.url_scheme. In compose nginx's
# address is not fixed, so the compose file sets "*" (gunicorn is not published);
# Django itself trusts the header only with DJANGO_BEHIND_PROXY=1.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"

# Worker heartbeats go to a RAM-backed folder where there is one: a container's
# overlay file system can stall them and get healthy workers killed.
_SHM = "/dev/shm"  # noqa: S108 (a folder of gunicorn's own files, not a temp file)
if os.path.isdir(_SHM):
    worker_tmp_dir = _SHM
