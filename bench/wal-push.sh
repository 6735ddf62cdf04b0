#!/usr/bin/env bash
# WAL archiving speed, side by side in one run over the same real segments (pgbench WAL):
#   push: `test ! -f && cp`, cp + fsync, pgbackrest archive-push (zst, synchronous), pgarchivist-cli archive-push
#   get:  cp, pgbackrest archive-get, pgarchivist-cli archive-get (prefetch on)
# One process per segment, as PostgreSQL runs archive_command/restore_command. Prints ms per segment,
# segments per second and ratios. A measurement, not a test: it never fails on speed.
#   bench/wal-push.sh BUILD_DIR        (BENCH_WAL_SEGMENTS=N, default 100; PG_BIN to pick PostgreSQL)
set -euo pipefail
BUILD=$(cd "${1:?usage: bench/wal-push.sh BUILD_DIR}" && pwd)
# Absolute: PostgreSQL runs restore_command in its data directory.
CLI=$(realpath "${PGA_CLI:-$BUILD/src/cli/pgarchivist-cli}")
N=${BENCH_WAL_SEGMENTS:-100}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
RUNAS=()
if [ "$(id -u)" -eq 0 ]; then RUNAS=(runuser -u postgres --); fi

WORK=$(mktemp -d /tmp/pga-bench-wal.XXXXXX)
chmod 755 "$WORK"
[ ${#RUNAS[@]} -gt 0 ] && chown postgres: "$WORK"
cleanup() {
  "${RUNAS[@]}" "$PG_BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
  [ -n "${PGA_KEEP_BENCH:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
as_pg() { "${RUNAS[@]}" "$@"; }

echo "Generating $N real WAL segments with pgbench in $WORK ..."
as_pg mkdir -p "$WORK/src" "$WORK/get"
as_pg "$PG_BIN/initdb" -D "$WORK/data" -N >/dev/null
PORT=$((20000 + RANDOM % 20000))
cat >> "$WORK/data/postgresql.conf" <<CONF
listen_addresses = ''
port = $PORT
unix_socket_directories = '$WORK'
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $WORK/src/%f && cp %p $WORK/src/%f'
max_wal_size = 4GB
checkpoint_timeout = 30s
CONF
as_pg "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start >/dev/null
nseg() { find "$WORK/src" -maxdepth 1 -name '0*' -size 16M | wc -l; }
as_pg "$PG_BIN/pgbench" -h "$WORK" -p "$PORT" -i -s 20 -q postgres >/dev/null 2>&1
# The base backup for the replay comparison: without WAL, so every segment comes through restore_command.
as_pg "$PG_BIN/pg_basebackup" -h "$WORK" -p "$PORT" -D "$WORK/base" -X none -c fast >/dev/null 2>&1
while [ "$(nseg)" -lt "$N" ]; do
  as_pg "$PG_BIN/pgbench" -h "$WORK" -p "$PORT" -c 2 -T 5 postgres >/dev/null 2>&1
  as_pg "$PG_BIN/psql" -h "$WORK" -p "$PORT" -qAtc 'select pg_switch_wal()' postgres >/dev/null
  sleep 0.5
done

HAVE_PGBR=0
if command -v pgbackrest >/dev/null; then
  HAVE_PGBR=1
  as_pg mkdir -p "$WORK/pgbr" "$WORK/pgbr-log" "$WORK/pgbr-lock" "$WORK/pgbr-spool"
  as_pg tee "$WORK/pgbackrest.conf" >/dev/null <<CONF
[global]
repo1-path=$WORK/pgbr
log-path=$WORK/pgbr-log
lock-path=$WORK/pgbr-lock
spool-path=$WORK/pgbr-spool
log-level-console=warn
compress-type=zst
archive-async=n
start-fast=y
[bench]
pg1-path=$WORK/data
pg1-port=$PORT
pg1-socket-path=$WORK
CONF
  as_pg pgbackrest --config="$WORK/pgbackrest.conf" --stanza=bench stanza-create >/dev/null || HAVE_PGBR=0
fi
as_pg "$PG_BIN/pg_ctl" -D "$WORK/data" -m fast stop >/dev/null
mapfile -t SEGS < <(find "$WORK/src" -maxdepth 1 -name '0*' -size 16M -printf '%f\n' | sort)
N=${#SEGS[@]}
echo "Segments: $N x 16 MiB ($(du -sh "$WORK/src" | cut -f1) on disk); $(nproc) CPUs"
sync

printf '%s\n' "${SEGS[@]}" > "$WORK/segs.txt"
as_pg "$CLI" repo-init --repo "$WORK/pga" >/dev/null
as_pg mkdir -p "$WORK/cp" "$WORK/cpsync"
# Each method runs as the server's OS user in one shell (no per-call runuser), one process per segment.
cat > "$WORK/loop.sh" <<LOOP
#!/usr/bin/env bash
set -e
W=$WORK; CLI=$CLI; CONF=$WORK/pgbackrest.conf
method=\$1
mapfile -t SEGS < \$W/segs.txt
t0=\$(date +%s.%N)
for s in "\${SEGS[@]}"; do
  case \$method in
    cp) test ! -f \$W/cp/\$s && cp \$W/src/\$s \$W/cp/\$s ;;
    cpsync) test ! -f \$W/cpsync/\$s && cp \$W/src/\$s \$W/cpsync/\$s && sync \$W/cpsync/\$s \$W/cpsync ;;
    pgbr) pgbackrest --config=\$CONF --stanza=bench archive-push \$W/src/\$s ;;
    pga) \$CLI archive-push --repo \$W/pga --server bench \$W/src/\$s ;;
    pga-ahead) \$CLI archive-push --repo \$W/pga-ahead --server bench --push-ahead 4 \$W/src/\$s ;;
    get-cp) cp \$W/src/\$s \$W/get/RECOVERYXLOG ;;
    get-pgbr) pgbackrest --config=\$CONF --stanza=bench archive-get \$s \$W/get/RECOVERYXLOG ;;
    get-pga) \$CLI archive-get --repo \$W/pga --server bench \$s \$W/get/RECOVERYXLOG ;;
  esac
done
t1=\$(date +%s.%N)
echo "\$t1 - \$t0" | bc -l
LOOP
chmod 755 "$WORK/loop.sh"

declare -A T
measure() {  # label, method
  sync
  cat "$WORK"/src/0* > /dev/null   # just written segments are in the page cache in real life too
  T[$1]=$(as_pg bash "$WORK/loop.sh" "$2")
  printf '  %-36s %8.2f s  %7.1f ms/segment  %7.1f segments/s\n' "$1" "${T[$1]}" \
    "$(echo "${T[$1]} * 1000 / $N" | bc -l)" "$(echo "$N / ${T[$1]}" | bc -l)"
}

echo "archive-push (one process per segment, as archive_command):"
measure "test ! -f && cp" cp
rm -rf "$WORK/cp"
measure "cp + fsync" cpsync
rm -rf "$WORK/cpsync"
[ $HAVE_PGBR = 1 ] && measure "pgbackrest archive-push (zst)" pgbr
measure "pgarchivist-cli archive-push" pga
# As at a high WAL rate: every segment marked ready, so each call also pushes the next ones in parallel.
as_pg mkdir -p "$WORK/src/archive_status"
for s in "${SEGS[@]}"; do as_pg touch "$WORK/src/archive_status/$s.ready"; done
as_pg "$CLI" repo-init --repo "$WORK/pga-ahead" >/dev/null
measure "pgarchivist-cli push --push-ahead 4" pga-ahead
rm -rf "$WORK/pga-ahead" "$WORK/src/archive_status"
echo "  repository sizes: pgarchivist $(du -sh "$WORK/pga" | cut -f1)$([ $HAVE_PGBR = 1 ] && echo ", pgbackrest $(du -sh "$WORK/pgbr" | cut -f1)")"

echo "archive-get (one process per segment, as restore_command):"
measure "cp" get-cp
[ $HAVE_PGBR = 1 ] && measure "pgbackrest archive-get" get-pgbr
measure "pgarchivist-cli archive-get" get-pga

# PITR replay: the same base backup recovered to the end of the archive, restore_command = each tool.
replay() {  # label, restore_command
  local d="$WORK/replay" port=$((PORT + 1)) t0 t1
  rm -rf "$d"
  as_pg cp -a "$WORK/base" "$d"
  as_pg rm -rf "$d/pg_wal/.pgarchivist-prefetch"
  as_pg tee -a "$d/postgresql.conf" >/dev/null <<CONF
port = $port
archive_mode = off
restore_command = '$2'
CONF
  as_pg touch "$d/recovery.signal"
  t0=$(date +%s.%N)
  if ! as_pg "$PG_BIN/pg_ctl" -D "$d" -l "$WORK/replay.log" -t 900 start >/dev/null; then
    echo "  $1: the server did not start:"; tail -5 "$WORK/replay.log"; rm -rf "$d"; return 0
  fi
  until [ "$(as_pg "$PG_BIN/psql" -h "$WORK" -p $port -qAtc 'select pg_is_in_recovery()' postgres 2>/dev/null)" = f ]; do
    sleep 0.05
    if [ "$(echo "$(date +%s.%N) - $t0 > 900" | bc -l)" = 1 ]; then echo "  $1: recovery did not end in 900 s"; break; fi
  done
  t1=$(date +%s.%N)
  as_pg "$PG_BIN/pg_ctl" -D "$d" -m immediate stop >/dev/null
  T[$1]=$(echo "$t1 - $t0" | bc -l)
  printf '  %-36s %8.2f s  %7.1f ms/segment  %7.1f segments/s\n' "$1" "${T[$1]}" \
    "$(echo "${T[$1]} * 1000 / $N" | bc -l)" "$(echo "$N / ${T[$1]}" | bc -l)"
  rm -rf "$d"
}
echo "PITR replay of a base backup through restore_command (server start to end of recovery):"
replay "replay with cp" "cp $WORK/src/%f %p"
[ $HAVE_PGBR = 1 ] && replay "replay with pgbackrest archive-get" "pgbackrest --config=$WORK/pgbackrest.conf --stanza=bench --pg1-path=$WORK/replay archive-get %f \"%p\""
replay "replay with pgarchivist-cli archive-get" "$CLI archive-get --repo $WORK/pga --server bench %f %p"

ratio() { if [ -n "${T[$1]:-}" ] && [ -n "${T[$2]:-}" ]; then echo "scale=2; ${T[$1]} / ${T[$2]}" | bc -l; else echo "n/a"; fi; }
echo "Ratios (time of the other tool / time of pgarchivist; > 1 means pgarchivist is faster):"
echo "  push vs test ! -f && cp:     $(ratio 'test ! -f && cp' 'pgarchivist-cli archive-push')"
echo "  push vs cp + fsync:          $(ratio 'cp + fsync' 'pgarchivist-cli archive-push')"
[ $HAVE_PGBR = 1 ] && echo "  push vs pgbackrest (zst):    $(ratio 'pgbackrest archive-push (zst)' 'pgarchivist-cli archive-push')   (target >= 2.4)"
[ $HAVE_PGBR = 1 ] && echo "  push-ahead vs pgbackrest:    $(ratio 'pgbackrest archive-push (zst)' 'pgarchivist-cli push --push-ahead 4')   (target >= 2.4, push-ahead as the issue allows)"
echo "  get  vs cp:                  $(ratio 'cp' 'pgarchivist-cli archive-get')   (the target is for replay, below)"
[ $HAVE_PGBR = 1 ] && echo "  get  vs pgbackrest:          $(ratio 'pgbackrest archive-get' 'pgarchivist-cli archive-get')"
echo "  replay vs cp:                $(ratio 'replay with cp' 'replay with pgarchivist-cli archive-get')   (target >= 1.0)"
[ $HAVE_PGBR = 1 ] && echo "  replay vs pgbackrest:        $(ratio 'replay with pgbackrest archive-get' 'replay with pgarchivist-cli archive-get')"
exit 0
