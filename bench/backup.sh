#!/usr/bin/env bash
# Base backup and restore speed, side by side in one run on the same cluster:
#   backup:  pgarchivist-cli backup (fresh repository, --jobs 2), pg_basebackup -Ft with client-side and
#            server-side zstd, pgBackRest full (zst, process-max 2), and `tar | zstd -3` of the data directory
#   dedup:   a second pgarchivist backup of the unchanged cluster (new bytes stored)
#   restore: pgarchivist-cli restore (--jobs 2) against pgBackRest restore (process-max 2)
# on two data sets: pgbench's default data (compressible), then the same plus as much random filler
# (incompressible). Prints seconds, MB/s, peak RSS and the ratios the issue sets targets for.
# A measurement, not a test: it never fails on speed.
#   bench/backup.sh BUILD_DIR     (BENCH_SCALE=N pgbench scale, default 100; PG_BIN to pick PostgreSQL;
#                                 BENCH_DEFAULT_ONLY=1 skips the filler data set; PGA_KEEP_BENCH=1 keeps the work directory)
set -euo pipefail
BUILD=${1:?usage: bench/backup.sh BUILD_DIR}
CLI=$(realpath "${PGA_CLI:-$BUILD/src/cli/pgarchivist-cli}")
SCALE=${BENCH_SCALE:-100}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
RUNAS=()
if [ "$(id -u)" -eq 0 ]; then RUNAS=(runuser -u postgres --); fi
as_pg() { "${RUNAS[@]}" "$@"; }

WORK=$(mktemp -d /tmp/pga-bench-backup.XXXXXX)
chmod 755 "$WORK"
[ ${#RUNAS[@]} -gt 0 ] && chown postgres: "$WORK"
cleanup() {
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
  [ -n "${PGA_KEEP_BENCH:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$((20000 + RANDOM % 20000))
as_pg "$PG_BIN/initdb" -D "$WORK/data" -N >/dev/null
"$CLI" repo-init --repo "$WORK/pga" >/dev/null
[ ${#RUNAS[@]} -gt 0 ] && chown -R postgres: "$WORK/pga"
cat >> "$WORK/data/postgresql.conf" <<CONF
listen_addresses = ''
port = $PORT
unix_socket_directories = '$WORK'
wal_level = replica
archive_mode = on
archive_command = '$CLI archive-push --repo $WORK/pga --server bench %p'
max_wal_senders = 8
max_wal_size = 8GB
CONF
as_pg "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start >/dev/null
CONN="host=$WORK port=$PORT user=postgres dbname=postgres"
psql_() { as_pg "$PG_BIN/psql" -h "$WORK" -p "$PORT" -qAtc "$1" postgres; }

HAVE_PGBR=0
if command -v pgbackrest >/dev/null; then
  HAVE_PGBR=1
  as_pg mkdir -p "$WORK/pgbr-log" "$WORK/pgbr-lock"
  as_pg tee "$WORK/pgbackrest.conf" >/dev/null <<CONF
[global]
repo1-path=$WORK/pgbr
log-path=$WORK/pgbr-log
lock-path=$WORK/pgbr-lock
log-level-console=warn
log-level-file=off
compress-type=zst
process-max=2
archive-check=n
start-fast=y
[bench]
pg1-path=$WORK/data
pg1-port=$PORT
pg1-socket-path=$WORK
CONF
fi
PGBR=("${RUNAS[@]}" pgbackrest --config="$WORK/pgbackrest.conf" --stanza=bench)

# run NAME CMD...: wall seconds and peak RSS (KiB) into $T and $RSS, and a line into the results.
declare -A SECS
run() {
  local name=$1; shift
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err" || { echo "  $name FAILED: $(tail -3 "$WORK/err")"; return 1; }
  read -r T RSS < "$WORK/time"
  SECS[$name]=$T
  printf '  %-40s %7.2f s %8.1f MB/s  peak RSS %6d MiB\n' "$name" "$T" "$(echo "$DATA_MB / $T" | bc -l)" $((RSS / 1024))
}
ratio() { echo "scale=2; ${SECS[$1]} / ${SECS[$2]}" | bc -l; }

measure() {
  local set=$1
  DATA_MB=$(du -sm --exclude=pg_wal "$WORK/data" | cut -f1)
  echo "--- data set: $set, data directory $DATA_MB MB (without pg_wal)"
  # A full backup into an empty chunk store (the WAL archive stays: the backup waits for its WAL there).
  rm -rf "$WORK/pga/chunks" "$WORK/pga/servers/bench/backups" "$WORK/bb" "$WORK/pgbr" "$WORK/r-"*
  run "pgarchivist backup (jobs 2)" "$CLI" backup --repo "$WORK/pga" --server bench --conninfo "$CONN" --jobs 2 --json
  local stored; stored=$(du -sm "$WORK/pga/chunks" | cut -f1)
  run "pgarchivist 2nd backup (unchanged)" "$CLI" backup --repo "$WORK/pga" --server bench --conninfo "$CONN" --jobs 2 --json
  local newb logical
  newb=$(grep -o '"new_bytes": [0-9]*' "$WORK/out" | grep -o '[0-9]*$')
  logical=$(grep -o '"logical_bytes": [0-9]*' "$WORK/out" | grep -o '[0-9]*$')
  run "pg_basebackup -Ft client-zstd" "$PG_BIN/pg_basebackup" -d "$CONN" -D "$WORK/bb/c" -Ft -X none -c fast --compress=client-zstd
  run "pg_basebackup -Ft server-zstd" "$PG_BIN/pg_basebackup" -d "$CONN" -D "$WORK/bb/s" -Ft -X none -c fast --compress=server-zstd
  run "tar | zstd -3 (data directory)" bash -c "tar -cf - --exclude=./pg_wal -C '$WORK/data' . 2>/dev/null | zstd -3 -q -o '$WORK/bb/tar.zst'"
  if [ $HAVE_PGBR = 1 ]; then
    "${PGBR[@]}" stanza-create >/dev/null 2>&1 || true
    run "pgBackRest full (zst, p2)" "${PGBR[@]}" --type=full backup
  fi
  run "pgarchivist restore (jobs 2)" "$CLI" restore --repo "$WORK/pga" --server bench --target-dir "$WORK/r-pga" --target-immediate --jobs 2
  rm -rf "$WORK/r-pga"
  run "pgarchivist restore (jobs 4)" "$CLI" restore --repo "$WORK/pga" --server bench --target-dir "$WORK/r-pga" --target-immediate --jobs 4
  if [ $HAVE_PGBR = 1 ]; then
    as_pg mkdir -p "$WORK/r-pgbr"
    run "pgBackRest restore (p2)" "${PGBR[@]}" --pg1-path="$WORK/r-pgbr" --type=immediate restore
  fi
  echo "  stored: pgarchivist $stored MB, pgBackRest $( [ $HAVE_PGBR = 1 ] && du -sm "$WORK/pgbr/backup" | cut -f1) MB, tar.zst $(du -sm "$WORK/bb/tar.zst" | cut -f1) MB"
  echo "  ratios ($set):"
  [ $HAVE_PGBR = 1 ] && echo "    backup vs pgBackRest p2:        $(ratio 'pgBackRest full (zst, p2)' 'pgarchivist backup (jobs 2)')x  (target >= 1.5)"
  echo "    backup vs tar | zstd -3:        $(ratio 'tar | zstd -3 (data directory)' 'pgarchivist backup (jobs 2)')x  (target >= 0.9)"
  echo "    backup vs pg_basebackup client: $(ratio 'pg_basebackup -Ft client-zstd' 'pgarchivist backup (jobs 2)')x"
  echo "    backup vs pg_basebackup server: $(ratio 'pg_basebackup -Ft server-zstd' 'pgarchivist backup (jobs 2)')x"
  echo "    2nd backup new bytes:           $(echo "scale=4; 100 * $newb / $logical" | bc -l)% of $logical  (target < 2%)"
  [ $HAVE_PGBR = 1 ] && echo "    restore vs pgBackRest p2:       $(ratio 'pgBackRest restore (p2)' 'pgarchivist restore (jobs 2)')x  (target >= 1.2)"
  return 0
}

# Every tool is measured with the archiver caught up: a backup needs its WAL archived, and the WAL that
# loading the data produced must not be charged to whichever tool runs first.
wait_archived() {
  local seg
  seg=$(psql_ "SELECT pg_walfile_name(pg_switch_wal())")
  until [ "$(psql_ "SELECT coalesce(last_archived_wal >= '$seg', false) FROM pg_stat_archiver")" = t ]; do sleep 0.5; done
}

echo "pgbench -i -s $SCALE in $WORK ..."
as_pg "$PG_BIN/pgbench" -h "$WORK" -p "$PORT" -i -s "$SCALE" -q postgres >/dev/null 2>&1
psql_ "CHECKPOINT" >/dev/null
wait_archived
measure "pgbench scale $SCALE"
[ -n "${BENCH_DEFAULT_ONLY:-}" ] && exit 0

echo "adding random filler (incompressible) of the same size ..."
psql_ "CREATE EXTENSION IF NOT EXISTS pgcrypto" >/dev/null
psql_ "CREATE TABLE filler AS SELECT g, gen_random_bytes(800) AS b FROM generate_series(1, $SCALE * 15000) g" >/dev/null
# Freeze it now, or autovacuum rewrites its pages between the two backups and the cluster is not "unchanged".
psql_ "VACUUM (FREEZE, ANALYZE) filler" >/dev/null
psql_ "CHECKPOINT" >/dev/null
wait_archived
measure "pgbench + random filler"
