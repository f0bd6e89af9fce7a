#!/usr/bin/env bash
# Entrypoint of the Fledge image, for every service (web, worker, beat) and for one-off
# commands (`docker compose run --rm web python manage.py createsuperuser`):
#
#   1. Variables left empty in .env (which lists every variable) count as unset, so
#      the settings use their defaults for them.
#   2. Wait, at most FLEDGE_DB_WAIT_SECONDS (60), for PostgreSQL to accept connections.
#   3. Only where FLEDGE_MIGRATE=1 (the web service): apply migrations, load the demo
#      when FLEDGE_LOAD_DEMO=1, and copy the static files collected at build time to
#      FLEDGE_STATIC_VOLUME, the volume nginx serves them from.
#   4. exec the command, so it runs as PID 1 and gets the container's signals.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() {
    printf 'entrypoint: %s\n' "$*" >&2
}

for name in $(compgen -e); do
    if [ -z "${!name}" ]; then
        unset "$name"
    fi
done

wait_for_database() {
    local url="${DATABASE_URL:-}" limit="${FLEDGE_DB_WAIT_SECONDS:-60}" started=$SECONDS
    case "$url" in
        postgres://* | postgresql://* | pgsql://* | postgis://*)
            url="postgresql://${url#*://}"
            ;;
        *)
            return 0 # SQLite (no DATABASE_URL): nothing to wait for
            ;;
    esac
    until pg_isready --dbname="$url" --timeout=3 >/dev/null 2>&1; do
        if ((SECONDS - started >= limit)); then
            log "the database did not accept connections within ${limit}s (FLEDGE_DB_WAIT_SECONDS); giving up"
            exit 1
        fi
        sleep 2
    done
    log "database ready after $((SECONDS - started))s"
}

# Migrations (and the demo) run under a PostgreSQL advisory lock, so several web
# containers starting together (`--scale web=3`) apply them one after another.
migrate() {
    python - <<'PYTHON'
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.core.management import call_command
from django.db import connection

LOCK = 4_716_001  # any fixed number: "Fledge migrations"
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK])
call_command("migrate", interactive=False)
if os.environ.get("FLEDGE_LOAD_DEMO") == "1":
    call_command("load_demo")
# The session (and with it the lock) ends when this process exits.
PYTHON
}

publish_static() {
    local target="${FLEDGE_STATIC_VOLUME:-}" source="${DJANGO_STATIC_ROOT:-$PWD/staticfiles}"
    [ -n "$target" ] || return 0
    # Files of earlier releases stay: their names carry a content hash, and pages
    # rendered before an upgrade may still point at them.
    cp -R "$source/." "$target/"
    log "static files copied from $source to $target"
}

wait_for_database
if [ "${FLEDGE_MIGRATE:-0}" = "1" ]; then
    migrate
    publish_static
fi

exec "$@"
