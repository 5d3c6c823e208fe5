#!/usr/bin/env bash
# The standby drill: a PostgreSQL + TimescaleDB primary, a hot standby made with pg_basebackup -R, synchronous
# replication, dxoc writing through its ingest API while the primary crashes, the standby promoted, the address
# switched, and every acknowledged value checked on the promoted server. See infra/README.md ("A standby").
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: standby-drill.sh [options]

Proves once, on this machine, that a dxoc database with a synchronous hot standby loses
nothing it acknowledged when the primary dies and the standby is promoted:

  1. initdb and start a primary (or take a running one: --primary-url)
  2. pg_basebackup -R a hot standby into a second cluster on another port; streaming replication
  3. synchronous_standby_names on the primary: a commit returns once the standby has it
  4. dxoc migrate, seed, an agent key, dxoc serve; DATABASE_URL points at a TCP proxy (socat) that
     stands for the address the instances use (a DNS name, a virtual IP, a proxy)
  5. agents post batches through the ingest API and keep a log of every acknowledged one
     (202, or 200 for a batch it re-sent); a batch that fails is re-sent, as dxoc-agent does
  6. reads on the standby: it answers queries, holds every batch acknowledged so far, refuses writes
  7. the primary crashes (pg_ctl stop -m immediate) in the middle of the writes
  8. pg_ctl promote on the standby, then the address switch: the proxy now leads to it
  9. the same dxoc serve process takes writes again (its pg pool reconnects on its own)
 10. every acknowledged batch is on the promoted server, point for point, value for value

Options:
  --work DIR                 where clusters and logs go (default: a new /tmp/dxoc-standby-drill.XXXXXX)
  --pg-bin DIR               PostgreSQL binaries (default: /usr/lib/postgresql/15/bin, else pg_config --bindir)
  --primary-port N           port of the primary the drill starts (default 55441)
  --standby-port N           port of the standby (default 55442)
  --proxy-port N             the address dxoc connects to (default 55443)
  --api-port N               dxoc serve (default 55444)
  --timescaledb-version V    CREATE EXTENSION timescaledb VERSION V (default: the server's default)
  --primary-url URL          take this running primary instead of starting one (a superuser URL, its
                             pg_hba must allow replication from here). The drill then does not crash it:
                             the proxy is cut from it instead, and synchronous_standby_names is reset
                             at the end. Its database (the URL's) must not exist yet or be empty.
                             A password comes from ~/.pgpass or PGPASSWORD, not from the URL.
  --before N                 batches acknowledged before the crash (default 60)
  --after N                  batches acknowledged after the switch (default 30)
  --writers N                agents posting at the same time, so that commits are in flight when the
                             primary dies (default 4)
  --keep                     leave the clusters running and the work folder in place
  -h, --help                 this text

Needs: PostgreSQL with TimescaleDB (shared_preload_libraries), socat, curl, node and the repository's
npm install. Run as root it runs the PostgreSQL commands as the postgres user (su postgres).
Exit status 0 when every acknowledged batch is on the promoted server.
EOF
}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=""
pg_bin=""
primary_port=55441
standby_port=55442
proxy_port=55443
api_port=55444
timescaledb_version=""
primary_url=""
before=60
after=30
writers=4
keep=0

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    --work | --pg-bin | --primary-port | --standby-port | --proxy-port | --api-port | --timescaledb-version | --primary-url | --before | --after | --writers)
      if [[ $# -lt 2 ]]; then
        echo "standby-drill.sh: $1 needs a value" >&2
        exit 2
      fi
      case "$1" in
        --work) work=$2 ;;
        --pg-bin) pg_bin=$2 ;;
        --primary-port) primary_port=$2 ;;
        --standby-port) standby_port=$2 ;;
        --proxy-port) proxy_port=$2 ;;
        --api-port) api_port=$2 ;;
        --timescaledb-version) timescaledb_version=$2 ;;
        --primary-url) primary_url=$2 ;;
        --before) before=$2 ;;
        --after) after=$2 ;;
        --writers) writers=$2 ;;
      esac
      shift
      ;;
    --keep)
      keep=1
      ;;
    *)
      echo "standby-drill.sh: unknown argument $1" >&2
      usage >&2
      exit 2
      ;;
  esac
  shift
done

for number in "$primary_port" "$standby_port" "$proxy_port" "$api_port" "$before" "$after" "$writers"; do
  if [[ ! "$number" =~ ^[0-9]+$ ]]; then
    echo "standby-drill.sh: \"$number\" is not a number" >&2
    exit 2
  fi
done
if [[ -n "$timescaledb_version" && ! "$timescaledb_version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "standby-drill.sh: unexpected TimescaleDB version \"$timescaledb_version\"" >&2
  exit 2
fi
if [[ -z "$pg_bin" ]]; then
  if [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
    pg_bin=/usr/lib/postgresql/15/bin
  else
    pg_bin=$(pg_config --bindir)
  fi
fi
for tool in socat curl node; do
  if ! command -v "$tool" >/dev/null; then
    echo "standby-drill.sh: $tool is needed (apt-get install $tool)" >&2
    exit 2
  fi
done
if [[ ! -d "$repo/node_modules/tsx" ]]; then
  echo "standby-drill.sh: run npm install in $repo first" >&2
  exit 2
fi

own_primary=1
database=dxoc_drill
if [[ -n "$primary_url" ]]; then
  own_primary=0
  url_pattern='^postgres(ql)?://([^@/]+@)?([^:/?#]+)(:([0-9]+))?/([A-Za-z_][A-Za-z0-9_]*)(\?.*)?$'
  if [[ ! "$primary_url" =~ $url_pattern ]]; then
    echo "standby-drill.sh: --primary-url must look like postgresql://user@host:port/database" >&2
    exit 2
  fi
  primary_host=${BASH_REMATCH[3]}
  primary_port=${BASH_REMATCH[5]:-5432}
  database=${BASH_REMATCH[6]}
  primary_user=${BASH_REMATCH[2]%@}
  primary_user=${primary_user%%:*}
  primary_user=${primary_user:-postgres}
else
  primary_host=127.0.0.1
  primary_user=postgres
  primary_url="postgresql://postgres@127.0.0.1:$primary_port/$database"
fi
primary_admin="postgresql://$primary_user@$primary_host:$primary_port/postgres"
standby_url="postgresql://$primary_user@127.0.0.1:$standby_port/$database"
dxoc_url="postgresql://$primary_user@127.0.0.1:$proxy_port/$database"

if [[ -z "$work" ]]; then
  work=$(mktemp -d /tmp/dxoc-standby-drill.XXXXXX)
fi
mkdir -p "$work"
chmod 0755 "$work"
# the clusters write their logs here as the postgres user (see as_postgres)
if [[ $EUID -eq 0 ]]; then chown postgres "$work"; fi

log() {
  echo "[$(date -u +%H:%M:%S)] $*"
}
fail() {
  log "FAILED: $*"
  exit 1
}

# PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
as_postgres() {
  if [[ $EUID -eq 0 ]]; then
    su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

primary_dir="$work/primary"
standby_dir="$work/standby"

psql_at() {
  local url=$1
  shift
  "$pg_bin/psql" -X -At -v ON_ERROR_STOP=1 --dbname="$url" -c "$*"
}

proxy_pid=""
serve_pid=""
writer_pids=()
cleanup() {
  local status=$?
  stop_proxy
  for pid in "${writer_pids[@]}" "$serve_pid"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [[ $keep -eq 0 ]]; then
    if [[ -f "$standby_dir/postmaster.pid" ]]; then as_postgres "$pg_bin/pg_ctl" -D "$standby_dir" -m fast stop >/dev/null 2>&1 || true; fi
    if [[ $own_primary -eq 1 && -f "$primary_dir/postmaster.pid" ]]; then
      as_postgres "$pg_bin/pg_ctl" -D "$primary_dir" -m fast stop >/dev/null 2>&1 || true
    fi
    if [[ $own_primary -eq 0 ]]; then
      psql_at "$primary_admin" "ALTER SYSTEM RESET synchronous_standby_names" >/dev/null 2>&1 || true
      psql_at "$primary_admin" "SELECT pg_reload_conf()" >/dev/null 2>&1 || true
      psql_at "$primary_admin" "SELECT pg_drop_replication_slot('dxoc_standby')" >/dev/null 2>&1 || true
    fi
    if [[ $status -eq 0 ]]; then rm -rf "$work"; else echo "logs kept in $work" >&2; fi
  else
    echo "kept: $work (primary :$primary_port, standby :$standby_port)" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The address dxoc connects to. Here a TCP proxy; in production the same role is played by a DNS name or a virtual
# IP that is moved to the promoted server, or a proxy such as HAProxy (infra/README.md, "A standby").
# socat forks a child per connection: it runs in a process group of its own (setsid), and stopping the proxy stops
# the whole group, so the connections through it are cut too. A connection left open to an old primary that is
# still up would hang on its next commit (it waits for a synchronous standby that has been promoted away).
stop_proxy() {
  if [[ -n "$proxy_pid" ]]; then
    kill -- "-$proxy_pid" 2>/dev/null || true
    wait "$proxy_pid" 2>/dev/null || true
    proxy_pid=""
  fi
}
point_proxy_at() {
  stop_proxy
  setsid socat "TCP-LISTEN:$proxy_port,bind=127.0.0.1,reuseaddr,fork" "TCP:127.0.0.1:$1" >>"$work/proxy.log" 2>&1 &
  proxy_pid=$!
  # socat listens at once; wait until the port answers so the next step does not race it
  for _ in $(seq 1 50); do
    if "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$proxy_port"; then return 0; fi
    if ! kill -0 "$proxy_pid" 2>/dev/null; then fail "socat could not listen on $proxy_port (see $work/proxy.log)"; fi
    sleep 0.1
  done
}

wait_until() {
  local what=$1 seconds=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if [[ $SECONDS -ge $deadline ]]; then fail "$what (after ${seconds}s)"; fi
    sleep 0.2
  done
}

log "work folder $work; PostgreSQL from $pg_bin"

# 1. the primary
# the clusters' Unix sockets: here rather than in /var/run/postgresql, which another server may use
mkdir -p "$work/sockets"
if [[ $EUID -eq 0 ]]; then chown postgres "$work/sockets"; fi
if [[ $own_primary -eq 1 ]]; then
  mkdir -p "$primary_dir"
  if [[ $EUID -eq 0 ]]; then chown postgres "$primary_dir"; fi
  as_postgres "$pg_bin/initdb" -D "$primary_dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$work/initdb.log"
  # initdb's pg_hba.conf already lets local and 127.0.0.1 connect, replication included, with trust
  cat <<EOF | as_postgres tee -a "$primary_dir/postgresql.conf" >/dev/null
listen_addresses = '127.0.0.1'
port = $primary_port
unix_socket_directories = '$work/sockets'
shared_preload_libraries = 'timescaledb'
timescaledb.telemetry_level = off
wal_level = replica
max_wal_senders = 5
max_replication_slots = 5
hot_standby = on
EOF
  as_postgres "$pg_bin/pg_ctl" -D "$primary_dir" -l "$work/primary.log" -w start >/dev/null
  log "primary: initdb and started on :$primary_port"
else
  log "primary: taking the running server at $primary_host:$primary_port"
fi
if [[ -n "$(psql_at "$primary_admin" "SELECT 1 FROM pg_database WHERE datname = '$database'")" ]]; then
  if [[ -n "$(psql_at "$primary_url" "SELECT 1 FROM pg_tables WHERE tablename = 'observation'")" ]]; then
    fail "database $database on the primary already holds dxoc tables: the drill needs a new one"
  fi
else
  psql_at "$primary_admin" "CREATE DATABASE $database" >/dev/null
fi
if [[ -n "$timescaledb_version" ]]; then
  psql_at "$primary_url" "CREATE EXTENSION IF NOT EXISTS timescaledb VERSION '$timescaledb_version'" >/dev/null
else
  psql_at "$primary_url" "CREATE EXTENSION IF NOT EXISTS timescaledb" >/dev/null
fi
log "primary: $(psql_at "$primary_url" "SELECT 'PostgreSQL ' || current_setting('server_version') || ', TimescaleDB ' || extversion FROM pg_extension WHERE extname = 'timescaledb'")"

# 2. the hot standby: a base backup that writes its own primary_conninfo (-R), through a replication slot (-C -S)
# so the primary keeps the WAL the standby has not received yet. application_name names it for step 3.
mkdir -p "$standby_dir"
chmod 0700 "$standby_dir"
if [[ $EUID -eq 0 ]]; then chown postgres "$standby_dir"; fi
as_postgres "$pg_bin/pg_basebackup" -D "$standby_dir" -R -X stream -C -S dxoc_standby -c fast \
  -d "host=$primary_host port=$primary_port user=$primary_user application_name=dxoc_standby" >"$work/basebackup.log" 2>&1 ||
  fail "pg_basebackup (see $work/basebackup.log)"
cat <<EOF | as_postgres tee -a "$standby_dir/postgresql.conf" >/dev/null
port = $standby_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work/sockets'
hot_standby = on
EOF
as_postgres "$pg_bin/pg_ctl" -D "$standby_dir" -l "$work/standby.log" -w start >/dev/null
streaming() {
  [[ "$(psql_at "$primary_admin" "SELECT state FROM pg_stat_replication WHERE application_name = 'dxoc_standby'")" == streaming ]]
}
wait_until "the standby never streamed from the primary" 60 streaming
log "standby: pg_basebackup -R, started on :$standby_port, streaming; in recovery: $(psql_at "$standby_url" "SELECT pg_is_in_recovery()")"

# 3. synchronous replication: a commit (and so a 202 from the ingest API) returns once the standby has flushed it
psql_at "$primary_admin" "ALTER SYSTEM SET synchronous_standby_names = 'FIRST 1 (dxoc_standby)'" >/dev/null
psql_at "$primary_admin" "ALTER SYSTEM SET synchronous_commit = 'on'" >/dev/null
psql_at "$primary_admin" "SELECT pg_reload_conf()" >/dev/null
synchronous() {
  [[ "$(psql_at "$primary_admin" "SELECT sync_state FROM pg_stat_replication WHERE application_name = 'dxoc_standby'")" == sync ]]
}
wait_until "the standby never became synchronous" 30 synchronous
log "replication: synchronous_standby_names = 'FIRST 1 (dxoc_standby)', synchronous_commit = on, sync_state = sync"

# 4. dxoc, through the address it will keep across the failover
point_proxy_at "$primary_port"
dxoc() {
  (cd "$repo" && DATABASE_URL="$dxoc_url" DXOC_METRICS_PORT=off DXOC_LOG_LEVEL=warn TSX_TSCONFIG_PATH="$repo/backend/tsconfig.json" \
    node --import tsx/esm backend/src/cli/main.ts "$@")
}
dxoc migrate >"$work/migrate.log" 2>&1 || fail "dxoc migrate (see $work/migrate.log)"
dxoc seed >"$work/seed.log" 2>&1 || fail "dxoc seed (see $work/seed.log)"
key=$(dxoc keys create --unit 01,79,48,31,92 --name "standby drill" 2>"$work/keys.log" | tail -n 1)
[[ -n "$key" ]] || fail "dxoc keys create (see $work/keys.log)"
(cd "$repo" && DATABASE_URL="$dxoc_url" PORT="$api_port" HOST=127.0.0.1 DXOC_METRICS_PORT=off DXOC_LOG_LEVEL=warn \
  DXOC_INSTANCE_ID=standby-drill TSX_TSCONFIG_PATH="$repo/backend/tsconfig.json" exec node --import tsx/esm backend/src/cli/main.ts serve) \
  >"$work/serve.log" 2>&1 &
serve_pid=$!
api_healthy() {
  kill -0 "$serve_pid" 2>/dev/null || fail "dxoc serve exited (see $work/serve.log)"
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$api_port/api/v1/health")" == 200 ]]
}
wait_until "dxoc serve never became healthy" 120 api_healthy
log "dxoc: migrated, seeded, agent key created, serve on :$api_port with DATABASE_URL=$dxoc_url"

# 5. the agents: each batch holds five values for one minute of yesterday; it is re-sent until acknowledged
units=(01 79 48 31 92)
start_epoch=$(($(date -u +%s) / 60 * 60 - 86400))
acked="$work/acknowledged"
attempts="$work/attempts"
: >"$acked"
: >"$attempts"
writer() {
  local w=$1 i=0 code points sum ts value body n unit
  while [[ ! -e "$work/stop-writer" ]]; do
    i=$((i + 1))
    # writer w's batch i is for minute i * writers + w: no two batches share a (metric, unit, ts)
    ts=$(date -u -d "@$((start_epoch + (i * writers + w) * 60))" +%Y-%m-%dT%H:%M:%SZ)
    points=""
    sum=0
    n=0
    for unit in "${units[@]}"; do
      value=$((i * 10 + n))
      sum=$((sum + value))
      points+="${points:+,}{\"metric\":\"onestop.applications_received\",\"unit\":\"$unit\",\"ts\":\"$ts\",\"value\":$value}"
      n=$((n + 1))
    done
    body="{\"batchId\":\"drill-$w-$i\",\"points\":[$points]}"
    local deadline=$((SECONDS + 180))
    for (( ; ; )); do
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 15 -X POST "http://127.0.0.1:$api_port/api/v1/ingest" \
        -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d "$body" || true)
      echo "$(date -u +%s.%N) drill-$w-$i $code" >>"$attempts"
      if [[ "$code" == 202 || "$code" == 200 ]]; then
        echo "drill-$w-$i ${#units[@]} $sum $ts" >>"$acked"
        break
      fi
      if [[ $SECONDS -ge $deadline ]]; then
        echo "drill-$w-$i never acknowledged" >>"$work/unacknowledged"
        break
      fi
      sleep 0.2
    done
  done
}
writer_pids=()
for w in $(seq 1 "$writers"); do
  writer "$w" &
  writer_pids+=($!)
done
acknowledged_count() { wc -l <"$acked"; }
at_least() { [[ $(acknowledged_count) -ge $1 ]]; }

# 6. reads on the hot standby while the primary takes writes
wait_until "the agent's first batches were not acknowledged" 120 at_least $((before / 2))
# the batches acknowledged up to now (the log grows meanwhile): batch ids are drill-<n>, safe inside a literal
seen=$(cut -d' ' -f1 "$acked" | paste -sd,)
seen_count=$(awk -F, '{ print NF }' <<<"$seen")
replayed() {
  [[ "$(psql_at "$standby_url" "SELECT count(*) FROM ingest_batch WHERE batch_id = ANY (string_to_array('$seen', ','))")" == "$seen_count" ]]
}
wait_until "the standby did not show batches the primary had acknowledged" 30 replayed
standby_rows=$(psql_at "$standby_url" "SELECT count(*) FROM observation")
standby_hourly=$(psql_at "$standby_url" "SELECT count(*) FROM observation_hourly WHERE unit = '79'")
if psql_at "$standby_url" "INSERT INTO lease (name, holder, expires_at) VALUES ('drill', 'drill', now())" >/dev/null 2>"$work/standby-write.log"; then
  fail "the standby accepted a write"
fi
log "standby reads: all $seen_count batches acknowledged so far are there; $standby_rows observation rows, $standby_hourly hourly rows of unit 79; a write is refused ($(head -n 1 "$work/standby-write.log" | sed 's/^.*ERROR: *//'))"

# 7. the primary dies in the middle of the writes
wait_until "the agent stalled before the crash" 120 at_least "$before"
crash_at=$(date -u +%s.%N)
if [[ $own_primary -eq 1 ]]; then
  as_postgres "$pg_bin/pg_ctl" -D "$primary_dir" -m immediate stop >/dev/null
  log "primary: crashed (pg_ctl stop -m immediate) after $(acknowledged_count) acknowledged batches"
else
  stop_proxy
  log "primary: cut off from dxoc (proxy stopped) after $(acknowledged_count) acknowledged batches"
fi
acked_at_crash=$(acknowledged_count)

# 8. promotion, then the address switch
as_postgres "$pg_bin/pg_ctl" -D "$standby_dir" -w promote >/dev/null
log "standby: promoted (pg_ctl promote); in recovery: $(psql_at "$standby_url" "SELECT pg_is_in_recovery()")"
point_proxy_at "$standby_port"
switched_at=$(date -u +%s.%N)
log "address switch: the proxy on :$proxy_port now leads to :$standby_port"

# 9. the same dxoc process takes writes again
wait_until "dxoc did not take writes after the switch" 180 at_least $((acked_at_crash + after))
touch "$work/stop-writer"
for pid in "${writer_pids[@]}"; do wait "$pid"; done
writer_pids=()
if [[ -e "$work/unacknowledged" ]]; then
  fail "batches were never acknowledged: $(paste -sd' ' "$work/unacknowledged")"
fi
kill -0 "$serve_pid" 2>/dev/null || fail "dxoc serve did not survive the failover (see $work/serve.log)"
first_after=$(awk -v t="$switched_at" '$1 >= t && ($3 == 202 || $3 == 200) { print $1; exit }' "$attempts")
failed_attempts=$(awk -v t="$crash_at" '$1 >= t && $3 != 202 && $3 != 200' "$attempts" | wc -l)
codes=$(awk -v t="$crash_at" '$1 >= t && $3 != 202 && $3 != 200 { print $3 }' "$attempts" | sort | uniq -c | awk '{ printf "%s%s x%s", sep, $2, $1; sep = ", " }')
log "dxoc: writes again $(awk -v a="$first_after" -v b="$crash_at" 'BEGIN { printf "%.1f", a - b }') s after the primary was lost ($(awk -v a="$first_after" -v b="$switched_at" 'BEGIN { printf "%.1f", a - b }') s after the switch), same process; $failed_attempts failed attempts in between (${codes:-none}), each re-sent"

# 10. every acknowledged batch, point for point, on the promoted server
total=$(acknowledged_count)
expected_points=$(awk '{ s += $2 } END { print s }' "$acked")
expected_sum=$(awk '{ s += $3 } END { print s }' "$acked")
kill "$serve_pid" 2>/dev/null || true
wait "$serve_pid" 2>/dev/null || true
serve_pid=""
awk '{ print $1 "\t" $2 "\t" $3 }' "$acked" >"$work/acknowledged.tsv"
missing=$("$pg_bin/psql" -X -q -At -v ON_ERROR_STOP=1 --dbname="$standby_url" <<EOF
CREATE TEMP TABLE acked (batch_id text PRIMARY KEY, points integer, value_sum double precision);
\copy acked FROM '$work/acknowledged.tsv'
SELECT count(*) FROM acked a
WHERE NOT EXISTS (SELECT 1 FROM ingest_batch b WHERE b.batch_id = a.batch_id AND b.point_count = a.points)
   OR (SELECT count(*) FROM observation o WHERE o.batch_id = a.batch_id) <> a.points
   OR (SELECT sum(value) FROM observation o WHERE o.batch_id = a.batch_id) <> a.value_sum;
EOF
)
stored=$(psql_at "$standby_url" "SELECT count(*) || ' ' || coalesce(sum(value), 0) FROM observation WHERE batch_id LIKE 'drill-%'")
log "promoted server: $total acknowledged batches ($acked_at_crash before the primary was lost), $expected_points points, value sum $expected_sum; stored: ${stored% *} points, value sum ${stored#* }; acknowledged batches missing or different: $missing"
if [[ "$missing" != 0 || "$stored" != "$expected_points $expected_sum" ]]; then
  fail "the promoted server does not hold exactly what was acknowledged"
fi
log "PASSED: nothing acknowledged was lost"
