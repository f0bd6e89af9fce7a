"""Fledge settings.

Every deploy-time value is read from an environment variable here, with a safe local
default, so ``make run`` and ``make test`` need nothing set. Production is
``DJANGO_DEBUG=0`` plus ``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``; see
``.env.example`` for the full list.
"""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

import dj_database_url
from celery.schedules import crontab

from config.logs import logging_config

from .env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent


# --- Core -------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0.")
    # Development only: never used once DEBUG is off (see the check above).
    SECRET_KEY = "fledge-insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Project apps in dependency order (load_demo runs their demo modules in this order).
INSTALLED_APPS = [
    "base",
    "audit",
    "accounts",
    "home",
    "notifications",
    "catalog",
    "lessons",
    "learner",
    "compliance",  # before certificates: its completion receiver must run first
    "certificates",
    "records",
    "api",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "embed_video",
    "axes",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # First, so the request id and duration cover everything below.
    "config.middleware.RequestLogMiddleware",
    # A view that cannot reach the database answers 503 with Retry-After (config.errors).
    "config.errors.DatabaseUnavailableMiddleware",
    # A refusal no view caught (base.errors.FledgeError) is its 4xx page, not a 500.
    "base.errors.FledgeErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages for signed-out visitors, before sessions and auth cost anything.
    "base.middleware.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A NUL byte in a query string, form field or JSON body is a 400 before any view.
    "config.middleware.RefuseNulBytesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Hands Wagtail's serve view the page from a cached path map: one query, not a dozen.
    "base.routing.PageRouteMiddleware",
    # Last: answers sign-in attempts while a username and address are locked out.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "accounts.context_processors.accounts",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------
# DATABASE_URL picks the database (postgres://… in production). The default is an SQLite
# file whose writers take the lock up front (IMMEDIATE) and wait up to 20 s for it, so
# concurrent writes queue instead of failing with "database is locked". Its journal is
# a write-ahead log (WAL): readers never wait for a writer, and a commit syncs the log
# once instead of the database file two or three times (the final quiz submit spent
# 1.4-1.9 ms of its 12 ms there), with the same durability (synchronous stays FULL).

SQLITE_PATH = env_str("FLEDGE_SQLITE_PATH", str(BASE_DIR / "db.sqlite3"))
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        # PostgreSQL connections are kept for a minute (checked before reuse): opening
        # one per request costs about a third of the throughput under load.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # SQLite's own page cache is 2 MB a connection: once the tables outgrow it,
            # each write first reads the index pages it touches from the file (about
            # 60 reads for a final quiz submit on the full-scale bench data, 2-3 with 64
            # MB). Memory is taken as pages are read, up to this.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA cache_size="
            f"-{1024 * env_int('FLEDGE_SQLITE_CACHE_MB', 64)}",
        }
    )
elif "postgresql" in DATABASES["default"]["ENGINE"]:
    # A server that does not answer fails the connection after this many seconds, so
    # pages answer 503 (config.errors) instead of waiting with the request. libpq and
    # psycopg treat anything below 2 as 2; a refused connection fails at once.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("FLEDGE_DB_CONNECT_TIMEOUT", 2)
    )
#: Seconds a page answered 503 while the database is unreachable asks the client to
#: wait (``Retry-After``).
FLEDGE_RETRY_AFTER_SECONDS = env_int("FLEDGE_RETRY_AFTER_SECONDS", 30)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background jobs ------------------------------------------------------
# REDIS_URL switches on the shared Redis cache and the Celery broker. Without it the
# cache is per-process memory and tasks run eagerly, in-process, on commit.
# Redis is an accelerator for pages: with it down or hung the cache answers misses
# (base.redis_cache), each client gives up after a fraction of a second, and the cache
# is not asked again for FLEDGE_CACHE_RETRY_SECONDS.

REDIS_URL = env_str("REDIS_URL")
#: Seconds to open a connection to Redis, and to wait for any reply (cache and broker).
REDIS_CONNECT_TIMEOUT = env_float("FLEDGE_REDIS_CONNECT_TIMEOUT", 0.25)
REDIS_TIMEOUT = env_float("FLEDGE_REDIS_TIMEOUT", 0.5)
#: Seconds the cache skips Redis after an error before it tries again.
FLEDGE_CACHE_RETRY_SECONDS = env_float("FLEDGE_CACHE_RETRY_SECONDS", 5)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "base.redis_cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "fledge"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

_BROKER = env_str("CELERY_BROKER_URL", REDIS_URL)
# Without a broker, tasks run eagerly; kombu's in-memory transport keeps Celery from
# looking for one on localhost.
CELERY_BROKER_URL = _BROKER or "memory://localhost/"
CELERY_RESULT_BACKEND = None
# A broker that does not answer fails a publish or a connection after these, instead of
# redis-py's 5 s per call (the worker's own BRPOP waits in the event loop, unaffected).
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
# Jobs after a crash (deploy/README.md, "5. Outages"). A job is acknowledged only once
# it has finished (acks_late, below). A pool process killed mid-job (the OOM killer,
# SIGKILL) hands its job straight back to the queue (reject_on_worker_lost) instead of
# acknowledging it as failed. A whole worker killed leaves its jobs unacknowledged in
# Redis; kombu gives them to another worker once they are older than the visibility
# timeout (``QoS.restore_visible``), which every worker checks every few seconds
# (``unacked_restore_interval`` × ``unacked_restore_throttle``; kombu's default is about
# 100 s). The hard time limit makes "the longest job" a real bound: a job still running
# at the visibility timeout would otherwise be handed out again and run twice.
#: Seconds a job may run before its pool process is killed and the job failed.
FLEDGE_TASK_TIME_LIMIT_SECONDS = env_int("FLEDGE_TASK_TIME_LIMIT_SECONDS", 45)
#: Seconds after delivery that a job its worker never acknowledged goes to another one.
FLEDGE_TASK_VISIBILITY_SECONDS = env_int("FLEDGE_TASK_VISIBILITY_SECONDS", 50)
if FLEDGE_TASK_VISIBILITY_SECONDS <= FLEDGE_TASK_TIME_LIMIT_SECONDS:
    raise ImproperlyConfigured(
        "FLEDGE_TASK_VISIBILITY_SECONDS must exceed FLEDGE_TASK_TIME_LIMIT_SECONDS, or a job "
        "still running would be handed to a second worker."
    )
CELERY_TASK_TIME_LIMIT = FLEDGE_TASK_TIME_LIMIT_SECONDS
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    "socket_timeout": REDIS_TIMEOUT,
    "visibility_timeout": FLEDGE_TASK_VISIBILITY_SECONDS,
    # Look for abandoned jobs every tenth of the timeout (5 s by default), scanning
    # Redis on every look: one lock and one ZRANGE per worker.
    "unacked_restore_interval": max(1, FLEDGE_TASK_VISIBILITY_SECONDS // 10),
    "unacked_restore_throttle": 1,
    # The lock of that scan, should a worker be killed holding it (kombu: 5 minutes).
    "unacked_mutex_expire": FLEDGE_TASK_VISIBILITY_SECONDS,
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not _BROKER)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = env_str("FLEDGE_TIME_ZONE", "Europe/London")
#: Seconds between the sweeps that redo lost hand-overs (below).
SWEEP_SECONDS = env_float("FLEDGE_SWEEP_SECONDS", 60.0)
#: The sweeps, which `manage.py sweep` also runs once, in this order.
SWEEP_TASKS = [
    "notifications.tasks.send_outbox",
    "compliance.tasks.sweep",
    "certificates.tasks.render_pending",
    # Webhooks: newly overdue cycles announced, then deliveries due (retries, resends,
    # lost hand-overs) sent.
    "api.webhooks.tasks.sweep",
]
#: Seconds an outbox sender holds the messages it claimed before another may send them.
FLEDGE_OUTBOX_LEASE_SECONDS = env_int("FLEDGE_OUTBOX_LEASE_SECONDS", 60)
#: Days people have to complete a required course again after it is published with a
#: material change (README, "Required training").
FLEDGE_MATERIAL_CHANGE_DUE_DAYS = env_int("FLEDGE_MATERIAL_CHANGE_DUE_DAYS", 30)
# Periodic jobs, in one place. Each also runs without a worker:
# `manage.py compliance_daily` (add --digests on Mondays).
CELERY_BEAT_SCHEDULE = {
    # Every minute: the sweeps. Work recorded in the database with its cause (emails in
    # the outbox, queued reminders, requested syncs, certificates without a PDF) is done
    # here when its on-commit hand-over was lost (broker down, worker killed). Each is
    # idempotent and finds nothing to do in one or two queries when all is well.
    # A sweep not started within its interval expires (the next one replaces it), so a
    # stopped worker does not come back to a pile of them.
    **{
        task: {"task": task, "schedule": SWEEP_SECONDS, "options": {"expires": SWEEP_SECONDS}}
        for task in SWEEP_TASKS
    },
    # Every day at 06:00 site time: sync assignments, then due-soon/overdue reminders.
    "compliance-daily": {"task": "compliance.tasks.daily", "schedule": crontab(hour=6, minute=0)},
    # Mondays at 07:00 site time: each manager's digest of overdue people.
    "compliance-weekly-digests": {
        "task": "compliance.tasks.weekly_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week=1),
    },
    # Every day at 06:30 site time: the audit chain head (sequence, hash) to the log.
    "audit-chain-head": {
        "task": "audit.tasks.log_chain_head",
        "schedule": crontab(hour=6, minute=30),
    },
    # Sundays at 03:00 site time: the retention purge (FLEDGE_RETENTION_YEARS; off at 0).
    "records-retention-purge": {
        "task": "records.tasks.retention_purge",
        "schedule": crontab(hour=3, minute=0, day_of_week=0),
    },
}

#: How long signed-out visitors' copies of public pages are kept. Publishing anything
#: replaces them at once; 0 switches the cache off.
FLEDGE_PAGE_CACHE_SECONDS = env_int("FLEDGE_PAGE_CACHE_SECONDS", 300)

# --- Auth and accounts --------------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("FLEDGE_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes counts failed sign-ins (front end, Wagtail admin and Django admin alike) per
# username and client address, and locks that pair out for a while. An unknown username
# is counted exactly like a wrong password, and both get the same answer.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, with permission sets cached (accounts.backends).
    "accounts.backends.CachedModelBackend",
]
AXES_ENABLED = env_bool("FLEDGE_LOGIN_THROTTLE", True)
AXES_FAILURE_LIMIT = env_int("FLEDGE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("FLEDGE_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
# The name typed in the sign-in form (allauth's "login" field: a username or an email).
AXES_USERNAME_CALLABLE = "accounts.security.sign_in_name"
AXES_VERBOSE = False
# Failed sign-ins are counted in the database, never in the cache: the throttle holds
# while Redis is down (a cache-kept count would vanish with it).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Django rotates the session key on sign-in and, through the session's password hash,
# signs out every other session when a password changes.
SESSION_COOKIE_AGE = env_int("FLEDGE_SESSION_AGE_SECONDS", 14 * 24 * 3600)
# Sessions live in the database and are read through the cache (Redis in production);
# they outlive a Redis outage, and copies from before one are never read after it.
SESSION_ENGINE = "accounts.sessions"

# Sign-in pages, sign-up, email verification and MFA (django-allauth): config/settings/identity.py.

# --- Email ----------------------------------------------------------------------------
# Printed to the console by default; set EMAIL_BACKEND and EMAIL_* for a real server.

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Fledge <fledge@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -----------------------------------------------------------

LANGUAGE_CODE = "en-gb"
#: The site's time zone: due dates are calendar dates here.
TIME_ZONE = env_str("FLEDGE_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

# --- Static and media ---------------------------------------------------------------

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
#: Files only their owners and staff may download (certificates); never served directly.
PRIVATE_MEDIA_ROOT = Path(env_str("FLEDGE_PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media")))
#: Behind nginx, private files are handed over with X-Accel-Redirect to this internal
#: location (deploy/nginx.conf) once Django has checked who may have them. Empty: Django
#: streams them itself.
PRIVATE_MEDIA_ACCEL_PREFIX = env_str("FLEDGE_PRIVATE_MEDIA_ACCEL_PREFIX")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)

# --- Wagtail ------------------------------------------------------------------------

WAGTAIL_SITE_NAME = env_str("FLEDGE_SITE_NAME", "Fledge")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = env_int("FLEDGE_MAX_DOCUMENT_BYTES", 20 * 1024 * 1024)
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("FLEDGE_MAX_IMAGE_BYTES", 10 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env_int("FLEDGE_MAX_IMAGE_PIXELS", 40_000_000)
# SVG is accepted for logos and illustrations. Renditions are served by nginx from
# /media/images/ with a sandboxing Content-Security-Policy, so a script inside an SVG
# never runs on the site's origin; originals are never served directly.
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp", "svg"]
# Documents are always served through Wagtail's view, which checks collection privacy,
# and always as attachments: an uploaded HTML or PDF never opens on the site's origin.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
#: The collection (directly under the root) whose documents, with those of its
#: descendants, anyone may download. Every other document downloads only for readers of
#: a lesson that links it and for its managers (``learner.documents``).
FLEDGE_PUBLIC_COLLECTION = env_str("FLEDGE_PUBLIC_COLLECTION", "Public")
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
# Approving a course publishes its changed modules and lessons with it (catalog.workflow).
WAGTAIL_FINISH_WORKFLOW_ACTION = "catalog.workflow_finish.publish_approved_course"
WAGTAILADMIN_NOTIFICATION_USE_HTML = True

# --- Security -----------------------------------------------------------------------
# With DJANGO_DEBUG=0 every protection is on by default; `manage.py check --deploy
# --fail-level WARNING` passes. Behind a TLS-terminating proxy set DJANGO_BEHIND_PROXY=1
# so X-Forwarded-Proto tells Django the request was HTTPS.

SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe health over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Joining the browsers' HSTS preload list binds every subdomain of the organisation's
    # domain to HTTPS for good: the domain's owner opts in with DJANGO_SECURE_HSTS_PRELOAD=1.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail's preview panel overrides this for its own frames.
X_FRAME_OPTIONS = "DENY"

# Content Security Policy for the site's own pages (the learner side). The Wagtail and
# Django admins are excluded: they manage their own scripts. No inline scripts; inline
# styles are allowed for the brand colour and progress bars; video frames only from
# YouTube and Vimeo.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "https://i.ytimg.com", "https://i.vimeocdn.com"],
        "frame-src": [
            "https://www.youtube.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

# --- Logging ------------------------------------------------------------------------
# JSON lines on stdout in production (DJANGO_LOG_FORMAT=json), readable lines in
# development; each line carries the request (or task) id and the user id.

LOGGING = logging_config(
    json_lines=env_str("DJANGO_LOG_FORMAT", "text" if DEBUG else "json") == "json",
    level=env_str("DJANGO_LOG_LEVEL", "INFO"),
    quiet_task_trace=CELERY_TASK_ALWAYS_EAGER,
)
#: Requests slower than this are logged as warnings.
FLEDGE_SLOW_REQUEST_MS = env_int("FLEDGE_SLOW_REQUEST_MS", 1000)
# Celery's worker and beat log through the same configuration.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Identity -----------------------------------------------------------------------
# Each module extends the settings above (apps, middleware) and adds its own; see its
# docstring.

from .api import *  # noqa: E402, F403 - the REST API: DRF, drf-spectacular, rates
from .audit import *  # noqa: E402, F403 - the audit trail: pseudonym key
from .identity import *  # noqa: E402, F403 - accounts, sign-in policy and MFA (django-allauth)
from .records import *  # noqa: E402, F403 - personal records: retention (years)
from .scim import *  # noqa: E402, F403 - SCIM 2.0 provisioning (accounts.scim)
from .sso import *  # noqa: E402, F403 - single sign-on: OIDC and SAML providers, group map
