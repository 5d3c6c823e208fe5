#!/usr/bin/env bash
# Restore a backup.sh archive into a new TimescaleDB database, following TimescaleDB's procedure:
# CREATE DATABASE, CREATE EXTENSION timescaledb (the backup's version), timescaledb_pre_restore(), pg_restore,
# timescaledb_post_restore(), ANALYZE. See infra/README.md ("Restore").
set -euo pipefail

PG_RESTORE=${PG_RESTORE:-pg_restore}
PSQL=${PSQL:-psql}

usage() {
  cat <<'EOF'
Usage: DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DB restore.sh [--drop-existing] DUMP

Restores DUMP (an archive written by backup.sh; "-" reads it from stdin) into the database
named in DATABASE_URL, which is created. Stop the backends first and start them afterwards.

  1. CREATE DATABASE, connected to the maintenance database (MAINTENANCE_DATABASE_URL, default:
     DATABASE_URL with the database name replaced by "postgres")
  2. CREATE EXTENSION timescaledb, at the version recorded in DUMP.meta (or TIMESCALEDB_VERSION)
  3. SELECT timescaledb_pre_restore();   stops TimescaleDB's background jobs, restoring mode
  4. pg_restore --no-owner               objects end up owned by DATABASE_URL's user
  5. SELECT timescaledb_post_restore();  always, also when pg_restore failed or was interrupted
  6. ANALYZE

Options:
  --drop-existing   drop the database first if it exists (DROP DATABASE ... WITH (FORCE)).
                    Without it an existing database is left alone and the restore stops.

The user must be allowed to create databases and the timescaledb extension (the compose and
in-cluster TimescaleDB's POSTGRES_USER is). The server must have the backup's TimescaleDB
version available; the database name must be a plain identifier (letters, digits, _).

Environment: DATABASE_URL (required), MAINTENANCE_DATABASE_URL, TIMESCALEDB_VERSION;
PG_RESTORE, PSQL (default: from PATH).
EOF
}

drop_existing=0
dump=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    --drop-existing)
      drop_existing=1
      ;;
    -)
      dump="-"
      ;;
    -?*)
      echo "restore.sh: unknown option $1" >&2
      usage >&2
      exit 2
      ;;
    *)
      if [[ -n "$dump" ]]; then
        usage >&2
        exit 2
      fi
      dump=$1
      ;;
  esac
  shift
done

if [[ -z "${DATABASE_URL:-}" ]]; then
  echo "restore.sh: DATABASE_URL is not set" >&2
  usage >&2
  exit 2
fi
if [[ -z "$dump" ]]; then
  echo "restore.sh: name the archive to restore (or - for stdin)" >&2
  usage >&2
  exit 2
fi
if [[ "$dump" != "-" && ! -r "$dump" ]]; then
  echo "restore.sh: cannot read $dump" >&2
  exit 1
fi

url_pattern='^(postgres(ql)?://[^/?#]*)/([A-Za-z_][A-Za-z0-9_]*)(\?.*)?$'
if [[ ! "$DATABASE_URL" =~ $url_pattern ]]; then
  echo "restore.sh: DATABASE_URL must be a postgres:// URL ending in a plain database name" >&2
  exit 2
fi
database=${BASH_REMATCH[3]}
maintenance_url=${MAINTENANCE_DATABASE_URL:-${BASH_REMATCH[1]}/postgres${BASH_REMATCH[4]}}

version=${TIMESCALEDB_VERSION:-}
if [[ -z "$version" && "$dump" != "-" && -r "$dump.meta" ]]; then
  version=$(sed -n 's/^timescaledb_version=//p' "$dump.meta")
fi
if [[ -n "$version" && ! "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[A-Za-z0-9.]+)?$ ]]; then
  echo "restore.sh: unexpected TimescaleDB version \"$version\"" >&2
  exit 2
fi

sql() {
  local url=$1
  shift
  "$PSQL" --no-psqlrc --quiet --tuples-only --no-align -v ON_ERROR_STOP=1 --dbname="$url" -c "$1"
}
log() {
  echo "restore.sh: $*" >&2
}

if [[ -n "$(sql "$maintenance_url" "SELECT 1 FROM pg_database WHERE datname = '$database'")" ]]; then
  if [[ $drop_existing -eq 0 ]]; then
    log "database $database exists: restore into a new name (and point DATABASE_URL at it), or pass --drop-existing"
    exit 1
  fi
  log "dropping the existing database $database"
  sql "$maintenance_url" "DROP DATABASE \"$database\" WITH (FORCE)"
fi

log "creating database $database"
sql "$maintenance_url" "CREATE DATABASE \"$database\""
if [[ -n "$version" ]]; then
  log "installing TimescaleDB $version (the backup's version)"
  sql "$DATABASE_URL" "CREATE EXTENSION IF NOT EXISTS timescaledb VERSION '$version'"
else
  log "no $dump.meta and no TIMESCALEDB_VERSION: installing the server's default TimescaleDB version"
  sql "$DATABASE_URL" "CREATE EXTENSION IF NOT EXISTS timescaledb"
fi

restoring=0
finish() {
  if [[ $restoring -eq 1 ]]; then
    restoring=0
    log "leaving restoring mode: SELECT timescaledb_post_restore()"
    sql "$DATABASE_URL" "SELECT timescaledb_post_restore()" >/dev/null || log "timescaledb_post_restore() failed: run it by hand"
  fi
}
trap finish EXIT
trap 'exit 130' INT TERM

sql "$DATABASE_URL" "SELECT timescaledb_pre_restore()" >/dev/null
restoring=1

log "pg_restore from $dump"
restore_status=0
if [[ "$dump" == "-" ]]; then
  "$PG_RESTORE" --no-owner --dbname="$DATABASE_URL" || restore_status=$?
else
  "$PG_RESTORE" --no-owner --dbname="$DATABASE_URL" "$dump" || restore_status=$?
fi

finish
log "ANALYZE"
sql "$DATABASE_URL" "ANALYZE" >/dev/null

if [[ $restore_status -ne 0 ]]; then
  log "pg_restore reported errors (above, exit $restore_status); the database is out of restoring mode. Check them before starting the backends."
  exit 1
fi
log "restored $dump into $database: $(sql "$DATABASE_URL" "SELECT count(*) FROM timescaledb_information.hypertables") hypertables; start the backends"
