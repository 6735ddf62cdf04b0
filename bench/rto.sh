#!/usr/bin/env bash
# How good is the RTO estimate (issue 11)? A pgbench cluster (BENCH_SCALE, default 50) archiving into a
# repository, one backup, then WAL from a pgbench run. With a fresh state directory:
#   0. estimate (nothing measured: calibrated restore speed, assumed replay), then restore --start (measured)
#   1..3. estimate (from what this host measured), then restore --start of the same backup and WAL
# and prints, per round, the estimate against the measured restore + replay time, and the ratio. The goal:
# after one restore --start, the estimate is within ±30% of the measured time. Every restore starts with the page
# cache dropped (BENCH_DROP_CACHES=0 to keep it): a restore in an emergency reads a cold repository, and a warm
# second run against a cold first one measures the cache, not the estimate.
# A measurement, not a test; run as root (the server runs as postgres). bench/rto.sh BUILD_DIR
set -euo pipefail
BUILD=${1:?usage: bench/rto.sh BUILD_DIR}
CLI=$(realpath "${PGA_CLI:-$BUILD/src/cli/pgarchivist-cli}")
SCALE=${BENCH_SCALE:-50}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[ "$(id -u)" -eq 0 ] || { echo "bench/rto.sh runs as root (the server runs as postgres)"; exit 1; }
WORK=$(mktemp -d /tmp/pga-bench-rto.XXXXXX)
chmod 755 "$WORK"
chown postgres: "$WORK"
cleanup() {
  for d in "$WORK"/data "$WORK"/r*; do [ -f "$d/postmaster.pid" ] && runuser -u postgres -- "$BIN/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1 || true; done
  [ -n "${PGA_KEEP_BENCH:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pg() { runuser -u postgres -- "$@"; }
pg "$BIN/initdb" -D "$WORK/data" -A trust >/dev/null
"$CLI" repo-init --repo "$WORK/repo" --owner postgres >/dev/null
cat >>"$WORK/data/postgresql.conf" <<CONF
port = $PORT
unix_socket_directories = '$WORK'
listen_addresses = ''
wal_level = replica
archive_mode = on
archive_command = '$CLI archive-push --repo $WORK/repo --server bench %p'
max_wal_size = 4GB
CONF
pg "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start >/dev/null
psql() { "$BIN/psql" -h "$WORK" -p "$PORT" -U postgres -qAt "$@" postgres; }
"$BIN/pgbench" -h "$WORK" -p "$PORT" -U postgres -i -s "$SCALE" -q postgres >/dev/null 2>&1
"$CLI" backup --repo "$WORK/repo" --server bench --conninfo "host=$WORK port=$PORT user=postgres" >/dev/null 2>&1
"$BIN/pgbench" -h "$WORK" -p "$PORT" -U postgres -T "${BENCH_WAL_SECONDS:-20}" -c 2 postgres >/dev/null 2>&1
last=$(psql -c "SELECT pg_walfile_name(pg_switch_wal())")
for _ in $(seq 300); do [ "$(psql -c "SELECT last_archived_wal >= '$last' FROM pg_stat_archiver")" = t ] && break; sleep 0.2; done
export XDG_DATA_HOME="$WORK/state"
echo "scale $SCALE; $(du -sh "$WORK/data" | cut -f1) cluster; $(psql -c "SELECT pg_size_pretty(pg_current_wal_lsn() - '0/0'::pg_lsn)") of WAL in all"
printf '%-6s %-10s %-12s %-12s %-8s %s\n' round estimate measured restore+ ratio basis
ratios=()
for round in 0 1 2 3; do
  est=$("$CLI" estimate --repo "$WORK/repo" --server bench --json 2>/dev/null)
  target="$WORK/r$round"
  if [ "${BENCH_DROP_CACHES:-1}" = 1 ]; then sync; echo 3 >/proc/sys/vm/drop_caches; fi
  out=$("$CLI" restore --repo "$WORK/repo" --server bench --target-dir "$target" --target-action promote --start --json 2>/dev/null)
  read -r e basis < <(python3 -c 'import json,sys; e=json.loads(sys.argv[1]); print("%.2f" % e["total_seconds"], e["basis"][:60])' "$est")
  read -r m rs rp < <(python3 -c 'import json,sys; o=json.loads(sys.argv[1]); print("%.2f %.2f %.2f" % (o["restore_seconds"]+o["replay_seconds"], o["restore_seconds"], o["replay_seconds"]))' "$out")
  ratio=$(python3 -c "print('%.2f' % ($e / $m))")
  printf '%-6s %-10s %-12s %-12s %-8s %s\n' "$round" "${e}s" "${m}s" "$rs+$rp" "$ratio" "$basis"
  [ "$round" -gt 0 ] && ratios+=("$ratio")
  pg "$BIN/pg_ctl" -D "$target" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$target"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {printf "estimate/measured after one restore --start: median %.2f (min %.2f, max %.2f)\n", a[int((NR+1)/2)], a[1], a[NR]}'
