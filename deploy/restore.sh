#!/usr/bin/env bash
# Restore a Fledge backup made by deploy/backup.sh.
#
#   deploy/restore.sh [--yes] <backup-folder>
#
# Into the database at DATABASE_URL (an existing Fledge database, whose tables are
# replaced, or a fresh empty one) and the media folders DJANGO_MEDIA_ROOT and
# FLEDGE_PRIVATE_MEDIA_ROOT (created when missing; files in the backup overwrite files
# of the same name). Then it applies any newer migrations and rebuilds what is derived
# from the data: the page tree check (`fixtree`), the search index and Wagtail's
# references index.
#
# Stop the web, worker and beat services first so nothing writes meanwhile (in compose:
# `docker compose -f deploy/docker-compose.yml stop web worker beat`, then
# `docker compose -f deploy/docker-compose.yml run --rm --no-deps web deploy/restore.sh ...`).
#
#   MANAGE   how to run manage.py (default: this checkout's .venv/bin/python, else
#            python, on its manage.py), e.g. MANAGE="python manage.py" in the container
#
# It asks before replacing anything unless --yes is given; without a terminal to ask
# on, --yes is required.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() {
    printf 'restore: %s\n' "$*" >&2
    exit 1
}

usage() {
    echo "usage: deploy/restore.sh [--yes] <backup-folder>" >&2
    exit 2
}

ASSUME_YES=0
SOURCE=""
for arg in "$@"; do
    case "$arg" in
        -y | --yes) ASSUME_YES=1 ;;
        -h | --help) usage ;;
        -*) usage ;;
        *) [ -z "$SOURCE" ] || usage; SOURCE="$arg" ;;
    esac
done
[ -n "$SOURCE" ] || usage

DATABASE_URL="${DATABASE_URL:-}"
MEDIA_ROOT="${DJANGO_MEDIA_ROOT:-$ROOT/media}"
PRIVATE_MEDIA_ROOT="${FLEDGE_PRIVATE_MEDIA_ROOT:-$ROOT/private-media}"
if [ -z "${MANAGE:-}" ]; then
    if [ -x "$ROOT/.venv/bin/python" ]; then
        MANAGE="$ROOT/.venv/bin/python $ROOT/manage.py"
    else
        MANAGE="python $ROOT/manage.py"
    fi
fi

case "$DATABASE_URL" in
    postgres://* | postgresql://* | pgsql://* | postgis://*) ;;
    "") die "DATABASE_URL is not set" ;;
    *) die "DATABASE_URL is not a PostgreSQL URL" ;;
esac
PG_URL="postgresql://${DATABASE_URL#*://}"
SHOWN_URL="$(printf '%s' "$PG_URL" | sed -E 's#(://[^:/@]+):[^@]*@#\1:***@#')"
command -v pg_restore >/dev/null || die "pg_restore is not installed (Debian: apt-get install postgresql-client)"

[ -d "$SOURCE" ] || die "$SOURCE is not a folder"
for file in MANIFEST database.dump media.tar.gz private-media.tar.gz; do
    [ -f "$SOURCE/$file" ] || die "$SOURCE/$file is missing: not a complete backup"
done
if [ -f "$SOURCE/SHA256SUMS" ]; then
    (cd "$SOURCE" && sha256sum --check --quiet SHA256SUMS) || die "checksums do not match: the backup is damaged"
fi

echo "restore: from $SOURCE"
sed -n 's/^\(created\|database\|code\): /  backup \1: /p' "$SOURCE/MANIFEST"
echo "restore: into database $SHOWN_URL"
echo "restore: media into $MEDIA_ROOT and $PRIVATE_MEDIA_ROOT"
if [ "$ASSUME_YES" -ne 1 ]; then
    [ -t 0 ] || die "no terminal to confirm on: pass --yes to replace the data above"
    read -r -p "This replaces the database's tables and overwrites media files. Continue? [y/N] " answer
    case "$answer" in
        y | Y | yes | YES) ;;
        *) die "cancelled" ;;
    esac
fi
STARTED=$SECONDS

step() {
    printf 'restore: %s (%ss)\n' "$1" "$((SECONDS - STARTED))"
}

# --clean --if-exists drops what the backup contains before creating it, so this works
# on a fresh database and on one with the same tables; --no-owner and --no-privileges
# make the objects belong to DATABASE_URL's user, whoever owned them when dumped.
# One transaction: a failure leaves the database as it was.
step "database"
pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
    --exit-on-error --dbname="$PG_URL" "$SOURCE/database.dump"

step "media"
mkdir -p "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"
tar -xzf "$SOURCE/media.tar.gz" -C "$MEDIA_ROOT" --no-same-owner
tar -xzf "$SOURCE/private-media.tar.gz" -C "$PRIVATE_MEDIA_ROOT" --no-same-owner

# A backup from an older release gets this release's migrations.
step "migrate"
$MANAGE migrate --no-input
# Check the page tree; --noinput never deletes anything (orphans are only reported).
step "fixtree"
$MANAGE fixtree --noinput
step "update_index"
$MANAGE update_index
step "rebuild_references_index"
$MANAGE rebuild_references_index

step "done"
