#!/usr/bin/env bash
# Back up the dxoc TimescaleDB database: a pg_dump custom-format archive (-Fc) plus a .meta file with the versions
# a restore needs. See infra/README.md ("Back up", "Restore") and restore.sh.
set -euo pipefail

PG_DUMP=${PG_DUMP:-pg_dump}
PG_RESTORE=${PG_RESTORE:-pg_restore}
PSQL=${PSQL:-psql}

usage() {
  cat <<'EOF'
Usage: DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DB backup.sh [OUTPUT]

Writes a pg_dump custom-format archive (-Fc) of the database in DATABASE_URL to OUTPUT
(default: dxoc-<UTC time>.dump in the current folder) and, next to it, OUTPUT.meta with the
TimescaleDB and PostgreSQL versions it came from (restore.sh installs that TimescaleDB version).
OUTPUT "-" writes the archive to stdout and the versions to stderr.

TimescaleDB notes:
  - The archive is a consistent snapshot; ingest, compression and continuous-aggregate jobs
    keep running meanwhile. Hypertables, chunks, compressed data, continuous aggregates and
    policies are all in it.
  - pg_dump warns about circular foreign-key constraints among TimescaleDB's catalog tables
    (hypertable, chunk, continuous_agg): expected and harmless.
  - Use a pg_dump of the server's PostgreSQL major version (17) or newer. The simplest is the
    database container's own: docker compose exec / kubectl exec (infra/README.md).
  - Restore onto the same TimescaleDB version (restore.sh reads it from OUTPUT.meta); upgrade
    the extension after the restore if needed, never before.
  - Keep the password out of the process list: put it in ~/.pgpass or PGPASSWORD rather than
    in DATABASE_URL where other users of the machine can read the command line.

Environment: DATABASE_URL (required); PG_DUMP, PG_RESTORE, PSQL (default: from PATH).
EOF
}

case "${1:-}" in
  -h | --help)
    usage
    exit 0
    ;;
  -?*)
    echo "backup.sh: unknown option $1" >&2
    usage >&2
    exit 2
    ;;
esac
if [[ $# -gt 1 ]]; then
  usage >&2
  exit 2
fi
if [[ -z "${DATABASE_URL:-}" ]]; then
  echo "backup.sh: DATABASE_URL is not set" >&2
  usage >&2
  exit 2
fi

output=${1:-dxoc-$(date -u +%Y%m%dT%H%M%SZ).dump}

sql() {
  "$PSQL" --no-psqlrc --quiet --tuples-only --no-align -v ON_ERROR_STOP=1 --dbname="$DATABASE_URL" -c "$1"
}

timescaledb_version=$(sql "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'")
if [[ -z "$timescaledb_version" ]]; then
  echo "backup.sh: the database in DATABASE_URL has no timescaledb extension: is it the dxoc database?" >&2
  exit 1
fi
postgresql_version=$(sql "SHOW server_version_num")
meta="timescaledb_version=$timescaledb_version
postgresql_version_num=$postgresql_version
created_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"

if [[ "$output" == "-" ]]; then
  echo "$meta" >&2
  exec "$PG_DUMP" --format=custom --dbname="$DATABASE_URL"
fi

# Written under a temporary name and renamed when complete: a file named *.dump is never half a backup.
partial="$output.partial"
trap 'rm -f "$partial"' EXIT
"$PG_DUMP" --format=custom --dbname="$DATABASE_URL" --file="$partial"
# Reading the archive's table of contents checks that it is complete and readable.
"$PG_RESTORE" --list "$partial" >/dev/null
mv "$partial" "$output"
trap - EXIT
echo "$meta" >"$output.meta"
echo "backup.sh: wrote $output ($(wc -c <"$output") bytes) and $output.meta (TimescaleDB $timescaledb_version)" >&2
