#!/usr/bin/env bash
# The blunder finder's WAL scan (issue: "at least as fast as pg_waldump over the same segments, a second scan from the
# cache under a tenth of the first, peak RSS flat in the number of segments"). A pgbench cluster archives into a
# repository (one backup, then simple-update transactions with a DROP TABLE, a 1000-row DELETE and a TRUNCATE in
# between) until BENCH_SEGMENTS segments are archived; then, interleaved over three rounds (A B B2 C, C B2 B A, A B B2 C):
#   A   pgarchivist-cli blunders --json, cold (walscan/ removed: zstd decoding, SHA-256 check, record decoding, cache writes)
#   B   pg_waldump -p PLAIN FIRST LAST > /dev/null over the same segments, decompressed beforehand into a plain directory
#   B2  pg_waldump --stats=record over the same (no per-record text)
#   C   pgarchivist-cli blunders --json, warm (from the scan cache)
# then a cold scan of a copy of the repository holding only the newer half of the segments against one of all (peak
# RSS), and the physical limits here (zstd -d on one core, sha256sum). Page cache is kept (BENCH_DROP_CACHES=1 drops
# it before each timed run). A measurement, not a test; run as root.
#   bench/blunders.sh BUILD_DIR   (BENCH_SCALE pgbench scale, default 20; BENCH_SEGMENTS, default 64;
#                                  BENCH_TX transactions per client per pgbench run, default 10000; PGA_KEEP_BENCH keeps WORK)
set -euo pipefail
BUILD=${1:?usage: bench/blunders.sh BUILD_DIR}
CLI=$(realpath "${PGA_CLI:-$BUILD/src/cli/pgarchivist-cli}")
SCALE=${BENCH_SCALE:-20}
SEGMENTS=${BENCH_SEGMENTS:-64}
TX=${BENCH_TX:-10000}
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[ "$(id -u)" -eq 0 ] || { echo "$0 runs as root (the server runs as postgres)"; exit 1; }
command -v zstd >/dev/null || { echo "zstd is not installed"; exit 1; }
WORK=$(mktemp -d /tmp/pga-bench-blunders.XXXXXX)
chmod 755 "$WORK"
chown postgres: "$WORK"
cleanup() {
  runuser -u postgres -- "$BIN/pg_ctl" -D "$WORK/data" -m immediate stop >/dev/null 2>&1 || true
  [ -n "${PGA_KEEP_BENCH:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
REPO=$WORK/repo
SCAN=$REPO/servers/bench/walscan
WALDIR=$REPO/servers/bench/wal/00000001
PLAIN=$WORK/plainwal
CONN="host=$WORK port=$PORT user=postgres dbname=postgres"
runuser -u postgres -- "$BIN/initdb" -D "$WORK/data" -A trust -N >/dev/null
"$CLI" repo-init --repo "$REPO" --owner postgres >/dev/null
cat >>"$WORK/data/postgresql.conf" <<CONF
port = $PORT
unix_socket_directories = '$WORK'
listen_addresses = ''
fsync = off
wal_level = replica
archive_mode = on
archive_command = '$CLI archive-push --repo $REPO --server bench %p'
max_wal_size = 4GB
CONF
runuser -u postgres -- "$BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w start >/dev/null
psql() { "$BIN/psql" -h "$WORK" -p "$PORT" -U postgres -qAt -d postgres "$@"; }
pgb() { "$BIN/pgbench" -h "$WORK" -p "$PORT" -U postgres -n -c 2 -j 2 -t "$TX" -b simple-update postgres >/dev/null 2>&1; }
nseg() { find "$REPO/servers/bench/wal" -regextype posix-extended -regex '.*/[0-9A-F]{24}\.zst' | wc -l; }
wait_archived() {
  local seg
  seg=$(psql -c "SELECT pg_walfile_name(pg_switch_wal())")
  for _ in $(seq 1200); do
    [ "$(psql -c "SELECT coalesce(last_archived_wal >= '$seg', false) FROM pg_stat_archiver")" = t ] && return 0
    sleep 0.5
  done
  echo "the archiver did not catch up with $seg: $(psql -c 'SELECT failed_count, last_failed_wal FROM pg_stat_archiver')"; exit 1
}

echo "pgbench -i -s $SCALE, a backup, then simple-update runs of 2 x $TX transactions until $SEGMENTS segments are archived ..."
"$BIN/pgbench" -h "$WORK" -p "$PORT" -U postgres -i -s "$SCALE" -q postgres >/dev/null 2>&1
"$CLI" backup --repo "$REPO" --server bench --conninfo "$CONN" >/dev/null 2>&1
pgb
psql -c "CREATE TABLE hist_dropped AS SELECT * FROM pgbench_history; CREATE TABLE hist_truncated AS SELECT * FROM pgbench_history"
psql -c "ANALYZE hist_dropped, hist_truncated"   # the snapshot's row estimates for the dropped and truncated tables
"$CLI" catalog-snapshot --repo "$REPO" --server bench --conninfo "$CONN" >/dev/null
i=0
while [ "$(nseg)" -lt "$SEGMENTS" ] || [ $i -lt 3 ]; do
  i=$((i + 1))
  case $i in
    1) psql -c "DROP TABLE hist_dropped" ;;
    2) psql -c "DELETE FROM pgbench_accounts WHERE aid <= 1000" ;;
    3) psql -c "TRUNCATE hist_truncated" ;;
  esac
  pgb
  wait_archived
done
# Stopped, so that nothing is archived between the runs and every tool sees the same segments.
runuser -u postgres -- "$BIN/pg_ctl" -D "$WORK/data" -m fast -w stop >/dev/null

mapfile -t SEGS < <(find "$WALDIR" -maxdepth 1 -regextype posix-extended -regex '.*/[0-9A-F]{24}\.zst' -printf '%f\n' | sed 's/\.zst$//' | sort)
N=${#SEGS[@]}
FIRST=${SEGS[0]}
LAST=${SEGS[$((N - 1))]}
ZFILES=()
mkdir "$PLAIN"
for s in "${SEGS[@]}"; do ZFILES+=("$WALDIR/$s.zst"); zstd -d -q "$WALDIR/$s.zst" -o "$PLAIN/$s"; done
PLAIN_BYTES=$(du -sb "$PLAIN" | cut -f1)
ZST_BYTES=$(du -cb "${ZFILES[@]}" | tail -1 | cut -f1)
echo "$N segments $FIRST .. $LAST: $((PLAIN_BYTES / 1048576)) MiB of WAL, $((ZST_BYTES / 1048576)) MiB archived; $(nproc) CPUs"

now() { date +%s.%N; }
drop() { if [ "${BENCH_DROP_CACHES:-0}" = 1 ]; then sync; echo 3 >/proc/sys/vm/drop_caches; fi; }
# scan REPO OUT: one blunders run, peak RSS (KiB) into $WORK/rss.
scan() { /usr/bin/time -f '%M' -o "$WORK/rss" "$CLI" blunders --repo "$1" --server bench --json >"$2" 2>"$WORK/err" \
           || { echo "blunders failed: $(tail -3 "$WORK/err")"; exit 1; }; }
run() {
  local tool=$1 round=$2 t0 t1 rc=0
  [ "$tool" = A ] && rm -rf "$SCAN"
  drop
  t0=$(now)
  case $tool in
    A|C) scan "$REPO" "$WORK/$tool$round.json" ;;
    B)  /usr/bin/time -f '%M' -o "$WORK/rss" "$BIN/pg_waldump" -p "$PLAIN" "$FIRST" "$LAST" >/dev/null 2>"$WORK/err" || rc=$? ;;
    B2) /usr/bin/time -f '%M' -o "$WORK/rss" "$BIN/pg_waldump" --stats=record -p "$PLAIN" "$FIRST" "$LAST" >/dev/null 2>"$WORK/err" || rc=$? ;;
  esac
  t1=$(now)
  # /usr/bin/time puts "Command exited with non-zero status" before the format when the command fails.
  echo "$tool $round $(python3 -c "print('%.3f' % ($t1 - $t0))") $(tail -1 "$WORK/rss")" >>"$WORK/times.txt"
  printf '  round %s %-2s: %7.2f s, peak RSS %5d MiB\n' "$round" "$tool" "$(python3 -c "print($t1 - $t0)")" $(($(tail -1 "$WORK/rss") / 1024))
  [ $rc -eq 0 ] || echo "    pg_waldump exited with $rc: $(tail -1 "$WORK/err")"
  return 0
}
for spec in "1:A B B2 C" "2:C B2 B A" "3:A B B2 C"; do
  round=${spec%%:*}
  for tool in ${spec#*:}; do run "$tool" "$round"; done
done
echo "scan cache: $(find "$SCAN" -name '*.act' | wc -l) entries for $N segments, $(du -sk "$SCAN" | cut -f1) KiB"
cmp -s "$WORK/A1.json" "$WORK/C1.json" && SAME=yes || SAME=NO
echo "warm output identical to cold: $SAME"

# Peak RSS against the number of segments: a copy of the repository without the older half of the segments. The peak
# follows the densest segment (most transactions), so both sides must hold the same newest, pgbench-only segments;
# dropping the newer half instead would compare pgbench -i's few large transactions with many small ones.
HALF=$((N / 2))
cp -a "$REPO" "$WORK/half"
rm -rf "$WORK/half/servers/bench/walscan"
for s in "${SEGS[@]:0:$HALF}"; do rm -f "$WORK/half/servers/bench/wal/00000001/$s.zst"; done
HALF=$((N - HALF))
drop; scan "$WORK/half" "$WORK/half.json"; RSS_HALF=$(tail -1 "$WORK/rss")
rm -rf "$SCAN"
drop; scan "$REPO" "$WORK/full.json"; RSS_FULL=$(tail -1 "$WORK/rss")
rm -rf "$WORK/half"

# Physical limits: zstd -d of every archived file on one core, sha256sum of the plain segments.
t0=$(now); zstd -d -q -c "${ZFILES[@]}" >/dev/null; t1=$(now)
ZSTD_S=$(python3 -c "print($t1 - $t0)")
t0=$(now); sha256sum "$PLAIN"/* >/dev/null; t1=$(now)
SHA_S=$(python3 -c "print($t1 - $t0)")

python3 - "$WORK/times.txt" "$WORK/A1.json" "$N" "$HALF" "$RSS_HALF" "$RSS_FULL" "$PLAIN_BYTES" "$ZST_BYTES" "$ZSTD_S" "$SHA_S" "$SAME" <<'PY'
import json, statistics, sys
times, rss = {}, {}
for line in open(sys.argv[1]):
    tool, _, secs, kib = line.split()
    times.setdefault(tool, []).append(float(secs))
    rss[tool] = max(rss.get(tool, 0), int(kib))
n, half, rss_half, rss_full = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
plain, zst, zstd_s, sha_s, same = int(sys.argv[7]), int(sys.argv[8]), float(sys.argv[9]), float(sys.argv[10]), sys.argv[11]
print("--- blunders found (first cold scan):")
for e in json.load(open(sys.argv[2])):
    objs = ", ".join(f"{o['schema'] or '?'}.{o['name']} ({o['rows'] if o['rows'] is not None else '?'} rows)" for o in e["objects"])
    print(f"  {e['kind']:10s} xid {e['xid']:>8}  {e['database']}  {objs}  rows {e['rows']}")
names = {"A": "blunders, cold", "B": "pg_waldump", "B2": "pg_waldump --stats=record", "C": "blunders, warm (cache)"}
med = {k: statistics.median(v) for k, v in times.items()}
mib = plain / 1048576
print(f"--- {n} segments, {mib:.0f} MiB of WAL ({zst / 1048576:.0f} MiB archived)")
print(f"{'':28s} {'median':>8s} {'min':>7s} {'max':>7s} {'MiB/s':>7s} {'peak RSS':>9s}")
for k in ("A", "B", "B2", "C"):
    v = times[k]
    print(f"{names[k]:28s} {med[k]:7.2f}s {min(v):6.2f}s {max(v):6.2f}s {mib / med[k]:7.0f} {rss[k] / 1024:6.0f} MiB")
print(f"cold / pg_waldump:            {med['A'] / med['B']:.2f}  (target <= 1)")
print(f"cold / pg_waldump --stats:    {med['A'] / med['B2']:.2f}")
print(f"warm / cold:                  {med['C'] / med['A']:.3f} (target < 0.1); warm output identical to cold: {same}")
print(f"peak RSS, cold scan: {half} segments {rss_half / 1024:.0f} MiB, {n} segments {rss_full / 1024:.0f} MiB "
      f"(ratio {rss_full / rss_half:.2f}; target: flat)")
print(f"physical limits here: zstd -d on one core {mib / zstd_s:.0f} MiB/s ({zstd_s:.2f} s for all), "
      f"sha256sum {mib / sha_s:.0f} MiB/s ({sha_s:.2f} s for all); the cold scan needs both, on {mib:.0f} MiB")
PY
