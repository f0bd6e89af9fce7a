#!/usr/bin/env bash
# Back up Fledge: the database and both media folders, into one timestamped folder.
#
#   deploy/backup.sh
#
# Reads (the same variables as the application):
#   DATABASE_URL               postgres://user:password@host:port/name (required)
#   DJANGO_MEDIA_ROOT          uploaded images and documents (default ./media)
#   FLEDGE_PRIVATE_MEDIA_ROOT  certificate PDFs (default ./private-media)
#   BACKUP_DIR                 where backups go (default ./backups)
#   BACKUP_KEEP_DAYS           delete backups older than this many days (default 14)
#
# Writes BACKUP_DIR/fledge-<UTC timestamp>/ with database.dump (pg_dump's custom
# format, for pg_restore), media.tar.gz, private-media.tar.gz and MANIFEST (what was
# backed up, from where, with sizes and SHA-256 checksums). The folder appears under its
# final name only once everything is written, so a folder named fledge-* is complete.
# Works in the container (`docker compose -f deploy/docker-compose.yml exec web
# deploy/backup.sh`) and on any host with pg_dump at least as new as the server.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() {
    printf 'backup: %s\n' "$*" >&2
    exit 1
}

# Empty counts as unset (.env lists every variable, most of them empty).
DATABASE_URL="${DATABASE_URL:-}"
MEDIA_ROOT="${DJANGO_MEDIA_ROOT:-$ROOT/media}"
PRIVATE_MEDIA_ROOT="${FLEDGE_PRIVATE_MEDIA_ROOT:-$ROOT/private-media}"
BACKUP_DIR="${BACKUP_DIR:-$ROOT/backups}"
KEEP_DAYS="${BACKUP_KEEP_DAYS:-14}"

case "$DATABASE_URL" in
    postgres://* | postgresql://* | pgsql://* | postgis://*) ;;
    "") die "DATABASE_URL is not set" ;;
    *) die "DATABASE_URL is not a PostgreSQL URL; back up an SQLite database by copying its file" ;;
esac
[[ "$KEEP_DAYS" =~ ^[0-9]+$ ]] || die "BACKUP_KEEP_DAYS must be a whole number of days"
command -v pg_dump >/dev/null || die "pg_dump is not installed (Debian: apt-get install postgresql-client)"
# libpq understands postgresql:// URLs; dj-database-url's other spellings are the same.
PG_URL="postgresql://${DATABASE_URL#*://}"

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
NAME="fledge-$STAMP"
mkdir -p "$BACKUP_DIR"
TARGET="$BACKUP_DIR/$NAME"
WORK="$BACKUP_DIR/.$NAME.partial"
[ -e "$TARGET" ] && die "$TARGET already exists"
cleanup() {
    rm -rf "$WORK"
}
trap cleanup EXIT
mkdir "$WORK"
STARTED=$SECONDS

# The database. The custom format is compressed and lets pg_restore drop and recreate
# each object; it is a consistent snapshot even while the site is in use.
pg_dump --format=custom --file="$WORK/database.dump" --dbname="$PG_URL"

# A media folder as a tar.gz of its contents (an empty archive when it does not exist yet).
archive() {
    local source="$1" archive="$2"
    if [ -d "$source" ]; then
        tar -czf "$archive" -C "$source" .
    else
        tar -czf "$archive" --files-from /dev/null
    fi
}
archive "$MEDIA_ROOT" "$WORK/media.tar.gz"
archive "$PRIVATE_MEDIA_ROOT" "$WORK/private-media.tar.gz"

# The manifest: enough to tell what a backup holds and to check it is intact. The
# database is named without its password.
{
    echo "# Fledge backup"
    echo "created: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "host: $(uname -n)"
    echo "database: $(printf '%s' "$PG_URL" | sed -E 's#(://[^:/@]+):[^@]*@#\1:***@#')"
    echo "pg_dump: $(pg_dump --version)"
    echo "media_root: $MEDIA_ROOT"
    echo "private_media_root: $PRIVATE_MEDIA_ROOT"
    echo "media_files: $(find "$MEDIA_ROOT" -type f 2>/dev/null | wc -l)"
    echo "private_media_files: $(find "$PRIVATE_MEDIA_ROOT" -type f 2>/dev/null | wc -l)"
    if [ -d "$ROOT/.git" ] && command -v git >/dev/null; then
        echo "code: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    fi
    echo
    echo "# bytes  file"
    for file in database.dump media.tar.gz private-media.tar.gz; do
        echo "$(wc -c <"$WORK/$file")  $file"
    done
} >"$WORK/MANIFEST"
(cd "$WORK" && sha256sum database.dump media.tar.gz private-media.tar.gz >SHA256SUMS)

mv "$WORK" "$TARGET"
echo "backup: $TARGET ($(du -sh "$TARGET" | cut -f1), $((SECONDS - STARTED))s)"

# Retention: complete backups (fledge-* with a MANIFEST) older than KEEP_DAYS, and
# partial ones a crashed run left behind more than a day ago. Never the one just made.
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name 'fledge-*' \
    -mmin "+$((KEEP_DAYS * 24 * 60))" ! -path "$TARGET" -print |
    while read -r old; do
        if [ -f "$old/MANIFEST" ]; then
            rm -rf "$old"
            echo "backup: deleted $old (older than $KEEP_DAYS days)"
        fi
    done
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name '.fledge-*.partial' -mmin +1440 \
    -exec rm -rf {} +
